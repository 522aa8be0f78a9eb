"""The supervision hand-off's tables, moved from `bundles` with their rows (`bundles.0003_supervision_moves_out`
renamed them): this migration only takes them into the app's state, and moves their content types (and so the
permissions granted on them and the admin's history) along."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("supervisionevent", "webhookendpoint", "webhookdelivery", "deliveryattempt")


def _relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor):
    _relabel(apps, "bundles", "supervision")


def content_types_back(apps, schema_editor):
    _relabel(apps, "supervision", "bundles")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("bundles", "0003_supervision_moves_out"),
        ("cases", "0001_initial"),
        ("catalog", "0004_seed_item_types"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SupervisionEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("kind", models.CharField(default="result_issued", max_length=32, verbose_name="事件")),
                        ("payload", models.JSONField(verbose_name="内容")),
                        ("created_at", models.DateTimeField(db_index=True, verbose_name="时间")),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="签收时间")),
                        ("acknowledged_by", models.ForeignKey(blank=True, null=True,
                                                              on_delete=django.db.models.deletion.PROTECT,
                                                              related_name="+", to=settings.AUTH_USER_MODEL,
                                                              verbose_name="签收人")),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to="cases.case", verbose_name="办件")),
                        ("department", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                         related_name="supervision_events", to="catalog.department",
                                                         verbose_name="监管部门")),
                    ],
                    options={
                        "verbose_name": "监管事件",
                        "verbose_name_plural": "监管事件（事中事后监管）",
                        "ordering": ["-id"],
                        "indexes": [models.Index(fields=["department", "acknowledged_at"], name="supevent_dept_ack")],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookEndpoint",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("url", models.URLField(max_length=500, verbose_name="接收地址")),
                        ("secret", models.CharField(help_text="HMAC-SHA256 签名密钥，仅对接双方知晓", max_length=128,
                                                    verbose_name="签名密钥")),
                        ("active", models.BooleanField(default=True, verbose_name="启用")),
                        ("max_attempts", models.PositiveSmallIntegerField(
                            blank=True, help_text="为空时取 SUPERVISION_WEBHOOK_MAX_ATTEMPTS", null=True,
                            verbose_name="最多尝试次数")),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                        ("department", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                         related_name="webhook_endpoints", to="catalog.department",
                                                         verbose_name="监管部门")),
                    ],
                    options={
                        "verbose_name": "推送地址",
                        "verbose_name_plural": "推送地址（Webhook）",
                        "ordering": ["department", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("body", models.TextField(verbose_name="推送内容（JSON）")),
                        ("status", models.CharField(choices=[("pending", "待推送"), ("delivered", "已送达"),
                                                             ("dead", "已放弃")],
                                                    default="pending", max_length=10, verbose_name="状态")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="已尝试次数")),
                        ("next_attempt_at", models.DateTimeField(blank=True, db_index=True, null=True,
                                                                 verbose_name="下次尝试时间")),
                        ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="送达时间")),
                        ("last_status_code", models.PositiveSmallIntegerField(blank=True, null=True,
                                                                              verbose_name="最近响应码")),
                        ("last_error", models.CharField(blank=True, max_length=300, verbose_name="最近错误")),
                        ("created_at", models.DateTimeField(verbose_name="创建时间")),
                        ("endpoint", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                       related_name="deliveries", to="supervision.webhookendpoint",
                                                       verbose_name="推送地址")),
                        ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                    related_name="deliveries", to="supervision.supervisionevent",
                                                    verbose_name="监管事件")),
                    ],
                    options={
                        "verbose_name": "推送任务",
                        "verbose_name_plural": "推送任务",
                        "ordering": ["-id"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due")],
                    },
                ),
                migrations.CreateModel(
                    name="DeliveryAttempt",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="第几次")),
                        ("at", models.DateTimeField(verbose_name="时间")),
                        ("status_code", models.PositiveSmallIntegerField(blank=True, null=True,
                                                                         verbose_name="响应码")),
                        ("error", models.CharField(blank=True, max_length=300, verbose_name="错误")),
                        ("duration_ms", models.PositiveIntegerField(default=0, verbose_name="耗时（毫秒）")),
                        ("ok", models.BooleanField(default=False, verbose_name="成功")),
                        ("replay", models.BooleanField(default=False, verbose_name="人工重放")),
                        ("delivery", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                       related_name="attempt_log", to="supervision.webhookdelivery",
                                                       verbose_name="推送任务")),
                    ],
                    options={
                        "verbose_name": "推送尝试",
                        "verbose_name_plural": "推送尝试",
                        "ordering": ["delivery", "number", "id"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_back),
    ]
