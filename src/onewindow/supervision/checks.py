"""A deployment check (`onewindow check`, and every `migrate` / `runserver`): webhook settings still set under
their names of the previous release (BUNDLES_WEBHOOK_*) are read this release only; say so while there is time."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility)
def previous_setting_names(app_configs=None, **kwargs) -> list[Warning]:
    """One warning per variable set only under its previous name."""
    return [
        Warning(f"环境变量 {previous} 已更名为 {name}：本版本仍读取旧名，下一版本起不再读取",
                hint=f"请改为设置 {name}", id="supervision.W001")
        for name, previous in getattr(settings, "RENAMED_ENVIRONMENT", {}).items()
        if name.startswith("SUPERVISION_") and os.environ.get(previous) and not os.environ.get(name)
    ]
