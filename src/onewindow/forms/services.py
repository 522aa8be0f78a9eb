"""The forms' public services (电子申请表): each act as the outermost, durable transaction, permission-checked and
audited by the act it publishes. The admin's forms, the catalog import and the demo compose `forms.acts`."""

from __future__ import annotations

from onewindow.core.kit import service
from onewindow.forms import acts

save_form = service(acts.save_form)
save_form_parts = service(acts.save_form_parts)
open_form = service(acts.open_form)
save_element = service(acts.save_element)
delete_element = service(acts.delete_element)
save_draft = service(acts.save_draft)
discard_form_draft = service(acts.discard_form_draft)
