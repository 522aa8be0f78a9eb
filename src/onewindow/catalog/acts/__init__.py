"""The catalog's composable acts (they run inside a caller's transaction), one module per sub-domain: items and
their versions, reference data, themes, staff assignments. `catalog.services` publishes the ones people perform;
the admin's forms, the catalog import and the demo compose these.

Callers use the package: `acts.publish_version(draft, by=…, reason=…)`, `acts.assign_department(user, …)`.
"""

from onewindow.catalog.acts.common import require_catalog_editor
from onewindow.catalog.acts.items import (
    MIRRORED_FIELDS,
    create_item,
    discard_draft,
    discard_drafts,
    mirror_elements,
    mirror_published,
    publish_version,
    save_draft_parts,
    set_baseline_version,
    start_draft,
    update_draft,
)
from onewindow.catalog.acts.reference import REFERENCE_MODELS, delete_reference, delete_references, save_reference
from onewindow.catalog.acts.staff import assign_department, create_staff
from onewindow.catalog.acts.themes import replace_theme_items, set_theme_items

__all__ = [
    "MIRRORED_FIELDS", "REFERENCE_MODELS", "assign_department", "create_item", "create_staff", "delete_reference",
    "delete_references", "discard_draft", "discard_drafts", "mirror_elements", "mirror_published",
    "publish_version", "replace_theme_items", "require_catalog_editor", "save_draft_parts", "save_reference",
    "set_baseline_version", "set_theme_items", "start_draft", "update_draft",
]
