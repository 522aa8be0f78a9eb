"""减填写 beside 三减: the department page and `onewindow catalog reductions` show, per item with a form, the fields on
it and the fields prefilled and typed per application on average, and the department's totals."""

from __future__ import annotations

import re
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.tests.factories import PDF, at, new_case, person
from onewindow.cases.tests.with_forms import give_form
from onewindow.forms.models import DataElement
from onewindow.forms.tests.factories import good_answers


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def filed(world):
    """Two online applications for item A by the same citizen (the second prefilled from the first, 1 + 4 fields
    prefilled, 9 answered each) and one window case of item B, which has no form."""
    give_form(world.item_a)
    DataElement.objects.filter(code="contact_mobile").update(source="account", source_key="mobile")
    DataElement.objects.filter(code__in=["applicant_name", "credit_code", "business_address"]).update(
        source="earlier_cases")
    world.citizen.mobile = "13900139000"
    world.citizen.save()
    material = world.item_a.published_version.materials.get(name="申请书")
    for _ in range(2):
        services.apply_online(by=world.citizen, item=world.item_a, applicant=person(1),
                              answers=good_answers(contact_mobile="13900139000"),
                              materials=[services.SuppliedMaterial(material.pk, services.Scan(PDF, "a.pdf"))])
    new_case(world, item=world.item_b, clerk=world.clerk_b)
    return world


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_department_page_shows_each_items_fill_figures_and_the_departments_totals(filed):
    page = _text(Client().get(reverse("catalog:department", args=["SC"])).content.decode())

    section = page[page.index("减填写"):page.index("事项 事项名称")]
    assert "表单字段 10.0 个 统计件数 2 件 平均预填 2.5 个字段 平均填写 6.5 个字段" in section, section
    assert f"{filed.item_a.name} 10 个 2 件 2.5 个字段 6.5 个字段" in section, section
    assert page.index("减时限") < page.index("减填写"), "减填写 stands beside the 三减 figures"

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    english = _text(client.get(reverse("catalog:department", args=["SC"])).content.decode())
    assert "Fields on the form 10.0 fields Applications counted 2 applications" in english
    assert "Prefilled on average 2.5 fields Typed on average 6.5 fields" in english


def test_a_department_without_forms_shows_no_fill_figures(filed):
    page = _text(Client().get(reverse("catalog:department", args=["WJ"])).content.decode())
    assert "减填写" not in page


def test_the_reductions_command_puts_the_fill_figures_beside_each_department_and_lists_the_items(filed):
    out = StringIO()
    call_command("catalog", "reductions", stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[0].endswith("\t减填写·表单字段\t减填写·统计件数\t减填写·平均预填\t减填写·平均填写")
    assert next(line for line in lines if line.startswith("市场监管局\t")).endswith("\t10.0\t2\t2.5\t6.5")
    assert next(line for line in lines if line.startswith("卫生健康委\t")).endswith("\t—\t0\t—\t—"), (
        "item B has a case but no form: nothing to count")
    assert next(line for line in lines if line.startswith("合计\t")).endswith("\t10.0\t2\t2.5\t6.5")
    assert f"{filed.item_a.name}\t{filed.item_a.implementation_code}\t10\t2\t2.5\t6.5" in lines
    assert not any(line.startswith(filed.item_b.name + "\t") for line in lines)
