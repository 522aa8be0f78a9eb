"""Identity of the people who use onewindow, API tokens, and the append-only audit chain (审计链)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("办事群众")
    CLERK = "clerk", _("窗口人员")
    REVIEWER = "reviewer", _("部门审核人员")
    LEADER = "leader", _("部门负责人")
    SUPERVISOR = "supervisor", _("中心督查人员")
    ADMIN = "admin", _("中心管理员")


STAFF_ROLES = {Role.CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN}
DEPARTMENT_ROLES = {Role.CLERK, Role.REVIEWER, Role.LEADER}


class User(AbstractUser):
    """A person who signs in: a citizen, window clerk, reviewer, leader, supervisor or admin."""

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.CITIZEN)
    display_name = models.CharField("姓名", max_length=64, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    identity_number = models.CharField(
        "实名证件号码", max_length=18, blank=True, db_index=True,
        help_text="账号持有人经核验的居民身份证号码（实名；法人账号为统一社会信用代码）：材料复用、数据共享和"
                  "免验证码预约只认本人；只由账号服务写入，除本人外只显示脱敏号",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def identity_masked(self) -> str:
        """The holder's 实名 identity number as others may see it (5001**********123X); empty when not verified."""
        from onewindow.core.identity import mask_identity

        return mask_identity(self.identity_number)

    def holds_identity(self, number: str) -> bool:
        """Whether this account's verified holder is the person with this (normalised) identity number."""
        return bool(self.identity_number) and self.identity_number == number

    @property
    def is_center_wide(self) -> bool:
        """Supervisors and admins see every department."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN) or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the API; only its sha256 is stored, the token is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=64, blank=True)
    prefix = models.CharField("前缀", max_length=8, db_index=True)
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditEvent(models.Model):
    """One link of the audit chain: who did what, when, before → after; hashes the previous link of its chain.

    The chain is split into shards (`shard`, see `core.audit`): each shard is a chain of its own, numbered from 1
    (`seq`) and linked from the genesis hash; shard -1 is the anchor chain (锚链), whose events record every
    shard's head. Events recorded before the split form shard 0, unchanged.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人（记录时）", max_length=150, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    prev_hash = models.CharField("上一环哈希", max_length=64)
    hash = models.CharField("本环哈希", max_length=64, unique=True)
    shard = models.SmallIntegerField("分链", default=0, help_text="所在分链；-1 为锚链（定期记录各分链链头）")
    seq = models.BigIntegerField("链内序号", help_text="在所在分链中的位置，从 1 起连续")

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        # One position of one chain holds one event: even a lost lock could not fork a chain. Also the index of
        # the walk along a shard (`verify_chain`) and of anchor checks.
        constraints = [models.UniqueConstraint(fields=["shard", "seq"], name="core_auditevent_shard_seq")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """链头: the last link of one shard of the audit chain — its row lock serializes appends to that shard only.

    Moved by the database itself on every insert into the chain (trigger `core_auditevent_moves_head`), in the
    appending transaction; `verify_chain` checks it against the shard's tail, so a removed tail is found.
    """

    shard = models.SmallIntegerField("分链", primary_key=True)
    last_id = models.BigIntegerField("链尾记录号", null=True, blank=True)
    last_hash = models.CharField("链尾哈希", max_length=64)
    length = models.BigIntegerField("环数", default=0)

    class Meta:
        verbose_name = "审计链链头"
        verbose_name_plural = "审计链链头"
        ordering = ["shard"]

    def __str__(self) -> str:
        return f"分链 {self.shard}：{self.length} 环，至 #{self.last_id}"


class DailySequence(models.Model):
    """每日流水号: the last value given on a day for one numbered thing (a department's cases, the packages,
    a hall category's tickets). Taken with `core.kit.next_in_sequence`, never read-then-written."""

    name = models.CharField("序列", max_length=64, help_text="如 cases.department.12、bundles.package、hall.category.3")
    day = models.DateField("日期")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "每日流水号"
        verbose_name_plural = "每日流水号"
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="core_dailysequence_name_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%Y-%m-%d} → {self.last_value}"
