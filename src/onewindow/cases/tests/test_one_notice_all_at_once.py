"""一次告知 (行政许可法第三十二条第一款第四项): a later correction notice names only materials supplied or changed after
the previous one; a material on file and unchanged when that notice went out is refused, by name."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, new_case
from onewindow.core.errors import ErrorCode, InvalidInput


def _ids(case: Case) -> dict[str, int]:
    return {m.name: m.pk for m in case.item_version.materials.all()}


def _first_round(world) -> tuple[Case, dict[str, int]]:
    """Received 2025-12-29 with the application form; told 2025-12-30 to bring the rest; resubmitted 2026-01-05
    (1 Jan 2026 is New Year's Day; 4 Jan, a Sunday, is a working day)."""
    case = new_case(world, when=at("2025-12-29"))
    ids = _ids(case)
    services.add_material(case, by=world.clerk_a, content=PDF + b"form", filename="form.pdf",
                          material_id=ids["申请书"], at=at("2025-12-29"))
    services.request_correction(case, by=world.clerk_a, at=at("2025-12-30"), items=[
        services.CorrectionItem(material_id=ids["户籍证明"], problem="未提交"),
        services.CorrectionItem(material_id=ids["场地证明"], problem="未提交")])
    services.fetch_shared_material(case, by=world.clerk_a, material_id=ids["户籍证明"], at=at("2026-01-04"))
    services.submit_case(case, by=world.clerk_a, at=at("2026-01-04"))
    return Case.objects.get(pk=case.pk), ids


def test_naming_again_a_material_on_file_and_unchanged_is_refused_by_name(world):
    case, ids = _first_round(world)
    with pytest.raises(InvalidInput) as refused:
        services.request_correction(case, by=world.clerk_a, at=at("2026-01-05"), items=[
            services.CorrectionItem(material_id=ids["申请书"], problem="未签名"),
            services.CorrectionItem(material_id=ids["场地证明"], problem="未提交")])
    assert refused.value.code == ErrorCode.CORRECTION_ALREADY_TOLD
    assert "申请书" in refused.value.message and refused.value.fields == {"items.0": "申请书"}
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "submitted" and stored.corrections.count() == 1


def test_a_material_supplied_after_the_first_notice_may_be_named(world):
    case, ids = _first_round(world)
    notice = services.request_correction(case, by=world.clerk_a, at=at("2026-01-05"), items=[
        services.CorrectionItem(material_id=ids["户籍证明"], problem="已过有效期"),
        services.CorrectionItem(material_id=ids["场地证明"], problem="未提交")])
    assert [line["name"] for line in notice.items] == ["户籍证明", "场地证明"]


def test_a_material_changed_after_the_first_notice_may_be_named(world):
    case, ids = _first_round(world)
    services.add_material(case, by=world.clerk_a, content=PDF + b"form v2", filename="form2.pdf",
                          material_id=ids["申请书"], at=at("2026-01-04"))
    services.request_correction(case, by=world.clerk_a, at=at("2026-01-05"), items=[
        services.CorrectionItem(material_id=ids["申请书"], problem="新版本缺少签名"),
        services.CorrectionItem(material_id=ids["场地证明"], problem="未提交")])
    assert Case.objects.get(pk=case.pk).state == "correction_requested"
