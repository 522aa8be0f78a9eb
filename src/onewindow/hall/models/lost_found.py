"""Lost and found (失物招领): items found in a hall, kept until their owner proves who they are."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FoundItemState(models.TextChoices):
    STORED = "stored", _("保管中")
    RETURNED = "returned", _("已认领")
    DISPOSED = "disposed", _("已处置")


class FoundItemKind(models.TextChoices):
    """What kind of thing was found (物品类别): the first thing a person looking for theirs filters by."""

    DOCUMENT = "document", "证件"
    WALLET = "wallet", "钱包、卡包"
    ELECTRONICS = "electronics", "手机、电子产品"
    KEYS = "keys", "钥匙"
    BAG = "bag", "箱包"
    UMBRELLA = "umbrella", "雨伞"
    CLOTHING = "clothing", "衣物"
    OTHER = "other", "其他"


class FoundItem(models.Model):
    """失物招领: an item found in the hall, kept until its owner proves who they are."""

    hall = models.ForeignKey("catalog.Hall", verbose_name="大厅", on_delete=models.CASCADE, related_name="found_items")
    kind = models.CharField("物品类别", max_length=12, choices=FoundItemKind.choices, default=FoundItemKind.OTHER)
    description = models.CharField("物品描述", max_length=200, help_text="公开显示，请勿写入证件号码、姓名等个人信息")
    found_place = models.CharField("拾获地点", max_length=100)
    found_at = models.DateTimeField("拾获时间")
    photo = models.FileField("照片", upload_to="hall/found/", blank=True)
    storage_place = models.CharField("保管位置", max_length=100)
    finder_note = models.CharField("拾获人/交来人", max_length=100, blank=True, help_text="内部记录，不公开")
    published = models.BooleanField("公开", default=True)
    state = models.CharField("状态", max_length=10, choices=FoundItemState.choices, default=FoundItemState.STORED)
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField("领取人", max_length=40, blank=True)
    owner_identity_masked = models.CharField("领取人身份证号（脱敏）", max_length=18, blank=True)
    owner_mobile_masked = models.CharField("领取人手机号（脱敏）", max_length=20, blank=True)
    returned_at = models.DateTimeField("领取时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "失物"
        verbose_name_plural = "失物招领"
        ordering = ["-found_at", "id"]

    def __str__(self) -> str:
        return self.description
