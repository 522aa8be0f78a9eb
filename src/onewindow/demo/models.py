"""What the demo command has seeded, so a second run reuses it instead of seeding again."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class DemoSeed(models.Model):
    """One part of the demo world (事项清单, 办件…) seeded once: with which seed, and what it made."""

    part = models.CharField("部分", max_length=32, unique=True)
    seed = models.BigIntegerField("随机种子")
    summary = models.JSONField("概况", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "演示数据记录"
        verbose_name_plural = "演示数据记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.part}（种子 {self.seed}）"
