"""The package application page renders the package's one form (一表申请): each shared element once, a draft saved
and resumed on the page, a refused submit keeping what was typed with each field's error, a filed package with
each sub-case's own answers."""

import re

from django.test import Client

from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import company, sub_case, with_forms
from onewindow.cases.models import Case
from onewindow.forms.models import Draft

APPLY = "/bundles/themes/restaurant/apply/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _applicant(world) -> dict[str, str]:
    return {"applicant_kind": "organization", "applicant_name": company(1).name,
            "applicant_id_number": world.citizen.identity_number, "legal_representative": "李四",
            "delivery_method": "pickup"}


def _answers(codes, **changes) -> dict[str, str]:
    posted = {"answers.applicant_name": company(1).name, "answers.credit_code": company(1).id_number,
              "answers.floor_area": "120", f"answers.{codes['licence']}.weekly_hours": "70",
              f"answers.{codes['food']}.weekly_hours": "60", "answers.business_type": "catering",
              "answers.kitchen_area": "30", "answers.seats": "40"}
    posted.update({f"answers.{k}": v for k, v in changes.items()})
    return posted


def _value(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found, f"no input {name}"
    value = re.search(r'value="([^"]*)"', found[0])
    return value[1] if value else ""


def test_the_page_asks_each_shared_element_once_and_each_items_own_fields(world):
    codes = with_forms(world)
    html = _client(world.citizen).get(APPLY).content.decode()
    assert html.count('name="answers.floor_area"') == 1, "the shared floor area is asked once"
    assert f'name="answers.{codes["licence"]}.weekly_hours"' in html
    assert f'name="answers.{codes["food"]}.weekly_hours"' in html
    assert 'name="answers.seats"' in html and "forms/form.js" in html
    assert 'value="save_draft"' in html and 'value="check"' in html


def test_a_draft_is_saved_on_the_page_and_resumed_on_the_next_visit(world):
    codes = with_forms(world)
    client = _client(world.citizen)
    saved = client.post(APPLY, {**_applicant(world), "intent": "save_draft", "answers.floor_area": "85",
                                "answers.seats": "12"})
    assert saved.status_code == 302
    assert Draft.objects.get(user=world.citizen, theme=world.theme).answers == {"floor_area": "85", "seats": "12"}
    html = client.get(APPLY).content.decode()
    assert "暂存的内容" in html, "the page says it resumed a draft"
    assert _value(html, "answers.floor_area") == "85" and _value(html, "answers.seats") == "12"
    assert not Package.objects.exists()
    client.post(APPLY, {"intent": "discard_draft"})
    assert not Draft.objects.exists()
    assert codes


def test_a_draft_resumed_on_a_newer_package_form_tells_the_applicant_to_check_it(world):
    from onewindow.bundles.tests.factories import FORMS
    from onewindow.catalog import services as catalog_services
    from onewindow.forms import services as form_services

    with_forms(world)
    client = _client(world.citizen)
    client.post(APPLY, {**_applicant(world), "intent": "save_draft", "answers.floor_area": "85"})
    html = client.get(APPLY).content.decode()
    assert "暂存的内容" in html and "申请表已于暂存后更新" not in html, "the same form: nothing to check"
    version = catalog_services.start_draft(world.items["licence"], by=None)
    form_services.save_form(version, by=None, fields=FORMS["licence"])
    catalog_services.publish_version(version, by=None, reason="改申请表")
    html = client.get(APPLY).content.decode()
    note = html[html.index("draft-note"):html.index("discard_draft")]
    assert "暂存的内容" in note and "申请表已于暂存后更新，请核对各项内容" in note, "said in the resumed draft's note"
    assert _value(html, "answers.floor_area") == "85"
    client.cookies["django_language"] = "en"
    english = client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The application form has been updated since the draft was saved" in english
    client.post(APPLY, {**_applicant(world), "intent": "save_draft", "answers.floor_area": "86"})
    assert "申请表已于暂存后更新" not in client.get(APPLY).content.decode(), "saved again on the form in force"


def test_a_refused_submit_keeps_what_was_typed_and_names_each_field(world):
    codes = with_forms(world)
    client = _client(world.citizen)
    client.post(APPLY, {**_applicant(world), "intent": "save_draft", "answers.floor_area": "85"})
    refused = client.post(APPLY, {**_applicant(world), **_answers(codes, floor_area="0", seats="")})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert _value(html, "answers.floor_area") == "0", "what was typed comes back"
    assert _value(html, f"answers.{codes['food']}.weekly_hours") == "60"
    assert 'href="#answers-floor_area"' in html and 'href="#answers-seats"' in html, "each field is in the summary"
    assert 'id="answers-floor_area-error"' in html and 'id="answers-seats-error"' in html
    assert not Package.objects.exists() and not Case.objects.exists()
    assert Draft.objects.filter(user=world.citizen, theme=world.theme).exists(), "a refusal keeps the draft"


def test_checking_the_form_writes_nothing(world):
    codes = with_forms(world)
    checked = _client(world.citizen).post(APPLY, {**_applicant(world), "intent": "check",
                                                  **_answers(codes, kitchen_area="")})
    assert checked.status_code == 422 and 'id="answers-kitchen_area-error"' in checked.content.decode()
    assert not Package.objects.exists() and not Draft.objects.exists()


def test_a_filed_package_gives_each_sub_case_its_own_answers_and_shows_them_once(world):
    codes = with_forms(world)
    client = _client(world.citizen)
    client.post(APPLY, {**_applicant(world), "intent": "save_draft", "answers.floor_area": "85"})
    done = client.post(APPLY, {**_applicant(world), **_answers(codes)})
    assert done.status_code == 302, done.content.decode()[:2000]
    package = Package.objects.get()
    assert sub_case(package, "licence").answers["weekly_hours"] == 70
    food = sub_case(package, "food")
    assert (food.answers["weekly_hours"], food.answers["floor_area"], food.answers["seats"]) == (60, 120, 40)
    assert not Draft.objects.exists(), "the filed package discards the draft"
    page = client.get(done["Location"]).content.decode()
    assert page.count("<dt>经营面积</dt>") == 1, "the package page shows the shared answer once"
    assert "<dd>120 平方米</dd>" in page and "<dt>座位数</dt>" in page


def test_the_window_intake_renders_the_same_form_without_the_clerks_own_data(world):
    from onewindow.forms.models import DataElement

    with_forms(world)
    DataElement.objects.filter(code="applicant_name").update(source="account", source_key="display_name")
    html = _client(world.window).get("/bundles/themes/restaurant/intake/").content.decode()
    assert 'name="answers.floor_area"' in html
    assert _value(html, "answers.applicant_name") == "", "the clerk's account is not the applicant"


def test_a_correction_naming_a_field_is_sent_and_answered_on_the_package_page(world):
    codes = with_forms(world)
    citizen = _client(world.citizen)
    citizen.post(APPLY, {**_applicant(world), **_answers(codes)})
    package = Package.objects.get()
    page = f"/bundles/packages/{package.number}/"
    window = _client(world.window)
    assert 'name="line_field"' in window.get(page).content.decode()
    window.post(f"{page}correction/", {"version": package.version, "line_name": "", "line_field": "floor_area",
                                       "line_problem": "与房产证不符"})
    package.refresh_from_db()
    assert package.state == "correction_requested"

    html = citizen.get(page).content.decode()
    assert "补正申请表" in html
    assert 'name="answers.floor_area"' in html and 'name="answers.seats"' not in html, "only the named field"
    refused = citizen.post(f"{page}answers/", {"version": package.version, "answers.floor_area": "0",
                                               "answers.seats": "99"})
    assert refused.status_code == 422
    assert _value(refused.content.decode(), "answers.floor_area") == "0"
    assert 'id="answers-floor_area-error"' in refused.content.decode()
    assert sub_case(package, "food").answers["floor_area"] == 120

    done = citizen.post(f"{page}answers/", {"version": package.version, "answers.floor_area": "150",
                                            "answers.seats": "99"})
    assert done.status_code == 302
    food = sub_case(package, "food")
    assert food.answers["floor_area"] == 150 and food.answers["seats"] == 40, "a field not named is not read"
    html = citizen.get(page).content.decode()
    assert "<del>120 平方米</del>" in html and "<ins>150 平方米</ins>" in html, "the package shows what changed"
    reviewer = _client(world.reviewers["WS"]).get(f"/workbench/cases/{food.number}/").content.decode()
    assert "<ins>150 平方米</ins>" in reviewer, "the department sees the change on its sub-case"


def test_the_package_answers_show_identity_numbers_whole_only_to_the_window_and_the_applicant(world):
    from onewindow.bundles.selectors import PackageAnswers, package_page
    from onewindow.forms.spec import FieldSpec, FormSpec

    done = _client(world.citizen).post(APPLY, {**_applicant(world), **_answers(with_forms(world))})
    assert done.status_code == 302, done.content.decode()[:2000]
    number = Package.objects.get().number
    masked = {who: package_page(user, number)["answers"].masked for who, user in (
        ("window", world.window), ("applicant", world.citizen), ("supervisor", world.supervisor),
        ("department", world.reviewers["WS"]))}
    assert masked == {"window": False, "applicant": False, "supervisor": True, "department": True}
    spec = FormSpec(code="x", title="x", version=1, fields=(
        FieldSpec(key="holder", kind="id_number", label_zh="法定代表人身份证号码"),
        FieldSpec(key="mobile", kind="mobile", label_zh="联系电话"),
        FieldSpec(key="staff", kind="table", label_zh="从业人员", columns=(
            FieldSpec(key="id_number", kind="id_number", label_zh="身份证号码"),))))
    answers = {"holder": "11010519491231002X", "mobile": "13800138000", "staff": [{"id_number": "500103198808080015"}]}
    shown = [(r.value, r.lines) for r in PackageAnswers(spec, {}, answers, answers, masked=True).rows()]
    assert shown == [("1101**********002X", ()), ("138****8000", ()),
                     ("身份证号码：5001**********0015", ("1. 身份证号码：5001**********0015",))]
    whole = PackageAnswers(spec, {}, answers, answers).rows()
    assert whole[0].value == "11010519491231002X" and "500103198808080015" in whole[2].value
