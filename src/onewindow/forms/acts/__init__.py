"""The forms' composable acts (run inside a caller's transaction); `forms.services` publishes them."""

from onewindow.forms.acts.design import (
    copy_form,
    delete_element,
    open_form,
    save_element,
    save_form,
    save_form_parts,
)
from onewindow.forms.acts.drafts import discard_form_draft, save_draft

__all__ = ["copy_form", "delete_element", "discard_form_draft", "open_form", "save_draft", "save_element",
           "save_form", "save_form_parts"]
