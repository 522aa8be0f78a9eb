"""我的办件 shows the account holder's own name and identity to them in full; a case they applied for on someone
else's behalf shows that applicant masked."""

from __future__ import annotations

from onewindow.cases import services
from onewindow.cases.models import Channel
from onewindow.cases.tests.factories import at, identity_number, new_case


def test_my_own_name_is_shown_to_me_in_full_and_anothers_masked(client, world):
    mine = new_case(world)  # 张三, the person of world.citizen's verified identity
    someone_else, _ = services.create_case(
        by=world.clerk_a, item=world.item_a, channel=Channel.WINDOW, service_point=world.point,
        applicant=services.Applicant(kind="person", name="王五六", id_number=identity_number(5), mobile="13800138000"),
        applicant_user=world.citizen, submit=True, at=at("2025-09-01"))
    client.force_login(world.citizen)
    html = client.get("/my/cases/").content.decode()
    rows = {number: row for number, row in ((c.number, html.split(c.number, 2)[2].split("</tr>")[0])
                                           for c in (mine, someone_else))}
    assert ">张三<" in rows[mine.number], "my own name, unmasked"
    assert ">王**<" in rows[someone_else.number], "another applicant stays masked"


def test_my_own_identity_number_is_shown_to_me_in_full_on_my_case(client, world):
    case = new_case(world)
    client.force_login(world.citizen)
    assert identity_number(1) in client.get(f"/my/cases/{case.number}/").content.decode()
