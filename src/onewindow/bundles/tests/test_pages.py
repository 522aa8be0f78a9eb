"""The 一件事 pages: the theme guide with its three figures and graph, online application, the package page
with its timeline, window acts from the page and the package board."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import FORM, PDF, accepted, credit_code, decide


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_guide_page_shows_the_three_figures_the_items_and_the_graph(world):
    response = Client().get("/themes/restaurant/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "承诺办结时限" in html and "串联办理" in html and "关键路径" in html
    assert "<strong>10</strong>" in html and "<strong>21</strong>" in html
    assert html.count("<rect") == 5 and html.count("<line") == 4, "five items, four prerequisite arrows"
    assert "租赁合同" in html and "数据共享获取" in html
    assert "<script" not in html.split("</header>")[1], "no JavaScript on the guide"


def test_a_citizen_applies_online_with_one_form(world):
    client = _client(world.citizen)
    page = client.get("/bundles/themes/restaurant/apply/")
    assert page.status_code == 200 and "排水设施图" in page.content.decode()
    form = {"applicant_kind": "organization", "applicant_name": "渝中味道餐饮有限公司",
            "applicant_id_number": credit_code(7), "legal_representative": "李四", "applicant_mobile": "13800138000",
            "delivery_method": "pickup"}
    bad = client.post("/bundles/themes/restaurant/apply/", {**form, "applicant_id_number": "91500103MA00000070"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.content.decode()
    assert not Package.objects.exists(), "a wrong credit code creates nothing"
    materials = {f"material_{i}": SimpleUploadedFile(f"{n}.pdf", PDF + n.encode()) for i, n in enumerate(FORM)}
    response = client.post("/bundles/themes/restaurant/apply/", {**form, **materials})
    package = Package.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/bundles/packages/{package.number}/")
    assert package.materials.count() == len(FORM)


def test_the_package_page_draws_the_timeline_and_each_departments_share(world):
    package = accepted(world)
    decide(world, package, "licence", when="2025-09-03")
    html = _client(world.window).get(f"/bundles/packages/{package.number}/").content.decode()
    assert html.count('class="gantt-row"') == 5
    assert "等待前置事项" in html, "排水许可 still waits for 环评登记"
    assert "各部门用时占比" in html and "市场监管局" in html


def test_a_department_page_shows_only_its_own_sub_case(world):
    package = accepted(world)
    html = _client(world.reviewers["HB"]).get(f"/bundles/packages/{package.number}/").content.decode()
    assert html.count('class="gantt-row"') == 1
    assert _client(world.outsider).get(f"/bundles/packages/{package.number}/").status_code == 404


def test_the_window_accepts_from_the_page_and_a_stale_form_is_refused(world):
    from onewindow.bundles.tests.factories import apply

    package = apply(world)
    client = _client(world.window)
    response = client.post(f"/bundles/packages/{package.number}/accept/", {"version": str(package.version + 5)},
                           follow=True)
    assert "已被更新" in response.content.decode()
    assert Package.objects.get(pk=package.pk).state == PackageState.SUBMITTED
    client.post(f"/bundles/packages/{package.number}/accept/", {"version": str(package.version)})
    assert Package.objects.get(pk=package.pk).state == PackageState.ACCEPTED


def test_the_board_shows_running_packages_with_their_light(world):
    package = accepted(world)  # due 2025-09-15: long overdue by the real today
    html = _client(world.supervisor).get("/bundles/board/").content.decode()
    assert package.number in html
    assert '<td><span class="light red" role="img" aria-label="红灯（已超期）"' in html, "an overdue package shows red"
    assert _client(world.reviewers["WS"]).get("/bundles/board/").status_code == 403, "the board is for supervisors"
