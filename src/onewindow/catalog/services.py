"""The catalog's public services: each act a person performs on the catalog (事项清单维护), as the outermost,
durable transaction (core.kit.service), permission-checked and audited by the act it publishes.

Views, the API, commands and admin actions (which Django runs outside any transaction) call these; the admin's
forms (inside the admin's own transaction), the catalog import and the demo compose `catalog.acts`.
"""

from __future__ import annotations

from onewindow.catalog import acts
from onewindow.core.kit import service

# -- items and versions
create_item = service(acts.create_item)
start_draft = service(acts.start_draft)
update_draft = service(acts.update_draft)
save_draft_parts = service(acts.save_draft_parts)
publish_version = service(acts.publish_version)
discard_draft = service(acts.discard_draft)
discard_drafts = service(acts.discard_drafts)
set_baseline_version = service(acts.set_baseline_version)

# -- reference data and themes
save_reference = service(acts.save_reference)
delete_reference = service(acts.delete_reference)
delete_references = service(acts.delete_references)
set_theme_items = service(acts.set_theme_items)

# -- staff
assign_department = service(acts.assign_department)
