"""Staff journeys at the center: a window clerk takes in an application, accepts it and prints the acceptance
notice; the department's reviewer opens the materials and decides; a center supervisor sees a red case and its
alert. Each signs in and lands on their workbench; each page offers only that person's acts; every page passes
axe-core's WCAG 2.1 AA rules, in Chinese and in English, where no Chinese is left but names."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.demo.tests.journeys.district import publish_as
from onewindow.demo.tests.journeys.walk import PASSWORD, log_in, to_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "李四"


@pytest.fixture
def center(site, calendar):
    """市场监管局 and 卫生健康委 with staff of every role; a case of 市场监管局 accepted long ago and now red."""
    from onewindow.cases.alerts import sweep_alerts
    from onewindow.cases.lifecycle import State
    from onewindow.cases.tests.factories import at, case_in_state, make_world
    from onewindow.workdays.selectors import due_date, is_working_day

    world = make_world()
    publish_as(world.item_a, "食品经营许可")
    for user in (world.clerk_a, world.reviewer_a, world.leader_a, world.supervisor, world.reviewer_b):
        user.set_password(PASSWORD)
        user.save()
    today = dt.date.today()
    long_ago = today - dt.timedelta(days=60)
    while not is_working_day(long_ago):
        long_ago -= dt.timedelta(days=1)
    red = case_in_state(world, State.IN_REVIEW, when=at(long_ago.isoformat()), n=5)
    assert due_date(long_ago, red.promised_days) < today, "the red case is not overdue yet"
    sweep_alerts(today=today)
    return world, red


def _offered(page) -> set[str]:
    return {form.get_attribute("id").removeprefix("action-") for form in page.locator("form[id^=action-]").all()}


def test_a_clerk_takes_in_a_reviewer_decides_and_a_supervisor_sees_the_red_case(site, center, audit, tmp_path):
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import PDF, identity_number
    from onewindow.core.models import AuditEvent

    world, red = center
    item = world.item_a
    materials = {m.name: m.pk for m in item.published_version.materials.all()}
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(PDF + b"signed application")
    visited: list[str] = []

    clerk_context, reviewer_context, supervisor_context = (site.context() for _ in range(3))
    clerk, reviewer, supervisor = (c.new_page() for c in (clerk_context, reviewer_context, supervisor_context))
    with site.pictures({"clerk": clerk, "reviewer": reviewer, "supervisor": supervisor}):
        # The window clerk signs in and lands on the workbench, with intake one click away.
        log_in(clerk, site, "clerk_a")
        assert clerk.url.rstrip("/").endswith("/workbench"), f"a clerk lands on {clerk.url}, not the workbench"
        audit.page(clerk)
        with clerk.expect_navigation():
            clerk.locator("a[href='/workbench/intake/']").first.click()
        audit.page(clerk)
        with clerk.expect_navigation():
            clerk.locator(f"a[href='/workbench/intake/{item.implementation_code}/']").first.click()
        audit.page(clerk)
        visited += ["/workbench/", "/workbench/intake/", f"/workbench/intake/{item.implementation_code}/"]

        clerk.fill("input[name=applicant_name]", APPLICANT)
        clerk.fill("input[name=applicant_id_number]", identity_number(7))
        clerk.fill("input[name=applicant_mobile]", "13900139000")
        clerk.check(f"input[name=m{materials['申请书']}_status][value=received]")
        clerk.set_input_files(f"input[name=m{materials['申请书']}_file]", str(scan))
        clerk.check(f"input[name=m{materials['场地证明']}_status][value=received]")
        clerk.set_input_files(f"input[name=m{materials['场地证明']}_file]", str(scan))
        clerk.check(f"input[name=m{materials['其他说明']}_status][value=missing]")
        clerk.check("input[name=decision][value=accept]")
        with clerk.expect_navigation():
            clerk.locator("form[enctype] button.primary").last.click()
        case = Case.objects.filter(applicant_name=APPLICANT).first()
        assert case is not None and case.state == "accepted", "the application was not accepted at the window"
        assert f"/workbench/cases/{case.number}/" in clerk.url
        offered = _offered(clerk)
        assert not offered & {"approve", "deny", "assign"}, f"a window clerk is offered {sorted(offered)}"
        audit.page(clerk)
        visited.append(f"/workbench/cases/{case.number}/")

        # Printing the acceptance notice: the PDF opens inline; a copy printed is not a document issued.
        notice = clerk.locator(f"a[href='/workbench/cases/{case.number}/notice/acceptance.pdf']")
        assert notice.count() == 1, "the case page offers no acceptance notice to print"
        printed = clerk.request.get(site.url(f"/workbench/cases/{case.number}/notice/acceptance.pdf"))
        assert printed.ok and printed.body()[:5] == b"%PDF-"

        # The leader assigns the case to the reviewer (not part of this journey).
        from onewindow.cases import services

        services.assign_case(case, by=world.leader_a, reviewer=world.reviewer_a)

        log_in(reviewer, site, "reviewer_a")
        assert reviewer.url.rstrip("/").endswith("/workbench"), f"a reviewer lands on {reviewer.url}"
        with reviewer.expect_navigation():
            reviewer.locator(f"a[href='/workbench/cases/{case.number}/']").first.click()
        audit.page(reviewer)
        # The materials open for those who may see the case: inline, the very bytes the clerk scanned.
        opened = reviewer.locator("a[href*='/materials/'], tr:has-text('申请书.pdf') a")
        assert opened.count() >= 2, "the reviewer sees the materials' names but cannot open them"
        href = opened.first.get_attribute("href")
        material = reviewer.request.get(site.url(href) if href.startswith("/") else href)
        assert material.ok and material.headers["content-type"] == "application/pdf", f"{href} does not open"
        assert material.headers.get("content-disposition", "").startswith("inline")
        assert material.body() == PDF + b"signed application"
        printed_by_reviewer = reviewer.request.get(site.url(f"/workbench/cases/{case.number}/notice/acceptance.pdf"))
        assert printed_by_reviewer.ok
        issuers = set(AuditEvent.objects.filter(object_id__in=[str(case.pk), case.number],
                                                action="case.document_issued").values_list("actor__username",
                                                                                           flat=True))
        assert "reviewer_a" not in issuers, "printing a copy of the acceptance notice is recorded as issuing it"

        offered = _offered(reviewer)
        assert {"approve", "deny"} <= offered and "accept" not in offered, f"the reviewer is offered {offered}"
        reviewer.fill("#action-approve [name=legal_basis]", "《食品经营许可和备案管理办法》第十六条")
        with reviewer.expect_navigation():
            reviewer.locator("#action-approve button").click()
        case.refresh_from_db()
        assert case.state == "approved", f"the reviewer's approval did not take: {case.state_label}"
        audit.page(reviewer)

        # Nobody outside the case opens its materials, whatever address they try.
        outsider_context = site.context()
        outsider = outsider_context.new_page()
        log_in(outsider, site, "reviewer_b")
        refused = outsider.request.get(site.url(href) if href.startswith("/") else href)
        assert refused.status in (403, 404), f"a reviewer of another department opens {href}: {refused.status}"
        outsider_context.close()

        # The supervisor: the alert on the workbench, the red case on the board.
        log_in(supervisor, site, "supervisor")
        # A supervisor's workbench is the supervision board or the task list; either is theirs, the catalog is not.
        assert "/workbench/" in supervisor.url, f"a supervisor lands on {supervisor.url}, not a workbench"
        audit.page(supervisor)
        supervisor.goto(site.url("/workbench/"))
        alert = supervisor.locator(f"a[href='/workbench/cases/{red.number}/']")
        assert alert.count() >= 1, "the supervisor's workbench does not show the red case's alert"
        audit.page(supervisor)
        supervisor.goto(site.url("/workbench/board/?list=red"))
        assert supervisor.locator(f"a[href='/workbench/cases/{red.number}/']").count() >= 1, \
            "the red case is not on the supervision board's red list"
        audit.page(supervisor)
        with supervisor.expect_navigation():
            supervisor.locator(f"a[href='/workbench/cases/{red.number}/']").first.click()
        audit.page(supervisor)
        visited += ["/workbench/board/?list=red", f"/workbench/cases/{red.number}/"]

        # The same pages in English: each person's switch, their pages again.
        for page, paths in ((clerk, visited[:4]), (reviewer, [f"/workbench/cases/{case.number}/"]),
                            (supervisor, ["/workbench/", *visited[4:]])):
            to_english(page)
            for path in paths:
                page.goto(site.url(path))
                audit.page(page, english=True)
    for context in (clerk_context, reviewer_context, supervisor_context):
        context.close()
    audit.assert_clean()
