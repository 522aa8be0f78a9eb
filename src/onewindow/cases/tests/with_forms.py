"""Items of the test world given an application form (电子申请表): a new version with the restaurant's form; the
restaurant's good answers as a page posts them."""

from __future__ import annotations

from typing import Any

from onewindow.cases import services
from onewindow.cases.models import Case, Channel
from onewindow.cases.tests.factories import complete_materials, person
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import ServiceItem
from onewindow.forms import services as form_services
from onewindow.forms.models import FormVersion
from onewindow.forms.tests.factories import RESTAURANT_RULES, elements, good_answers, restaurant_fields


def give_form(item: ServiceItem, *, fields: list[dict[str, Any]] | None = None,
              rules: list[dict[str, Any]] | None = None, online: bool = True, replaces: str = "") -> FormVersion:
    """Publish a new version of `item` carrying a form (the restaurant's unless told), online if asked; `replaces`
    names the material the form stands for (the paper 申请书)."""
    elements()
    draft = catalog_services.start_draft(item, by=None)
    if online:
        catalog_services.update_draft(draft, by=None, mode_online=True)
    form_services.save_form(draft, by=None, fields=fields if fields is not None else restaurant_fields(),
                            rules=RESTAURANT_RULES if rules is None else rules, replaces=replaces)
    catalog_services.publish_version(draft, by=None, reason="增加电子申请表")
    item.refresh_from_db()
    return FormVersion.objects.get(item_version=item.published_version)


def posted_answers(**changes) -> dict[str, str | list[str]]:
    """The restaurant's good answers as the page posts them: one name per input, numbers as typed."""
    answers = good_answers(**changes)
    out: dict[str, str | list[str]] = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            out.update({f"answers.{key}.{part}": text for part, text in value.items()})
        elif isinstance(value, list):
            for row, cells in enumerate(value):
                out.update({f"answers.{key}.{row}.{column}": str(text) for column, text in cells.items()})
        else:
            out[f"answers.{key}"] = str(value)
    return out


def asked_to_correct_floor_area(world) -> Case:
    """A case filed at the window with the restaurant's good answers for the citizen, its materials complete, and a
    correction notice naming one field: 经营面积 与房产证不符."""
    case, _ = services.create_case(by=world.clerk_a, item=world.item_a, applicant=person(1), channel=Channel.WINDOW,
                                   applicant_user=world.citizen, submit=True, answers=good_answers())
    complete_materials(case, by=world.clerk_a)
    services.request_correction(case, by=world.clerk_a, items=[
        services.CorrectionItem(field="floor_area", problem="与房产证不符")])
    case.refresh_from_db()
    return case
