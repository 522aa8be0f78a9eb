"""The intake page's error summary says which material each problem is about, not only "扫描件" or "问题"."""

from __future__ import annotations

import re

from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.cases.tests.test_pages import intake_post, materials_of


def _summary(page: str) -> str:
    """The summary's lines as a reader hears them (the field names are links to the fields)."""
    markup = page.split('class="form-errors"')[1].split("</div>")[0]
    return re.sub(r"<(?!/?li>)[^>]+>", "", markup)


def test_a_received_material_without_its_scan_is_named_in_the_summary(client, world):
    m = materials_of(world)
    data = intake_post(world)
    data.pop(f"m{m['场地证明'].pk}_file")
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    summary = _summary(response.content.decode())
    assert "场地证明（扫描件）：已收取的材料请上传扫描件" in summary
    assert "<li>扫描件：" not in summary
    assert not Case.objects.exists()


def test_a_faulty_material_without_its_problem_is_named_in_the_summary(client, world):
    m = materials_of(world)
    data = intake_post(world, **{f"m{m['申请书'].pk}_status": "faulty", "decision": "request_correction"})
    data.pop(f"m{m['申请书'].pk}_file")
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    assert "申请书（问题及补正要求）：请写明这份材料存在的问题" in _summary(response.content.decode())
