"""Case lists paged by keys (core.paging): every case once, in order, whatever the page; cursors forward and back;
filters kept; a bad cursor refused; the same statements for the first page and a deep one."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import at, new_case
from onewindow.core import paging
from onewindow.core.models import AuditEvent
from onewindow.core.services import create_token


def _client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _walk(client: Client, path: str) -> tuple[list[str], list[dict]]:
    """Every number of a list, following next_cursor from its first page; and the pages."""
    pages, numbers = [], []
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}page_size=3")
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append(page)
        numbers += [row["number"] for row in page["results"]]
        if not page["next_cursor"]:
            return numbers, pages
        assert len(pages) < 50, "the walk does not end"
        response = client.get(f"{path}{separator}page_size=3&cursor={page['next_cursor']}")


@pytest.fixture
def many(world):
    """Eleven cases of department A: seven taken in on one day (one due date: ties), two on a later day, two
    drafts (no clock)."""
    cases = [new_case(world, n=n, when=at("2025-09-01")) for n in range(1, 8)]
    cases += [new_case(world, n=n, when=at("2025-09-03")) for n in range(8, 10)]
    cases += [new_case(world, n=n, submit=False) for n in range(10, 12)]
    return cases


def test_walking_the_next_cursors_gives_every_case_once_newest_first(world, many):
    numbers, pages = _walk(_client(world.clerk_a), "/api/v1/cases")
    expected = list(Case.objects.filter(department=world.dept_a).order_by("-id").values_list("number", flat=True))
    assert numbers == expected
    assert [len(p["results"]) for p in pages] == [3, 3, 3, 2]
    assert pages[0]["previous_cursor"] is None, "the first page has no page before it"
    assert all(p["count"] == 11 and p["count_exact"] for p in pages)


def test_the_supervision_list_breaks_ties_on_the_due_date_by_id_and_puts_cases_without_a_clock_last(world, many):
    numbers, _ = _walk(_client(world.supervisor), "/api/v1/cases/supervision/cases")
    ordered = sorted(Case.objects.all(), key=lambda c: (c.clock_due_on is None, c.clock_due_on, c.pk))
    assert numbers == [c.number for c in ordered]
    assert len(set(numbers)) == len(numbers) == 11
    tied = [c for c in many[:7]]
    assert len({c.clock_due_on for c in tied}) == 1, "seven cases share a due date: the walk crosses the tie"
    assert [c.number for c in ordered[-2:]] == [many[9].number, many[10].number]


def test_the_previous_cursor_walks_back_through_the_same_pages(world, many):
    client = _client(world.supervisor)
    _, pages = _walk(client, "/api/v1/cases/supervision/cases")
    back = client.get(f"/api/v1/cases/supervision/cases?page_size=3&cursor={pages[-1]['previous_cursor']}").json()
    assert [r["number"] for r in back["results"]] == [r["number"] for r in pages[-2]["results"]]
    first = client.get(f"/api/v1/cases/supervision/cases?page_size=3&cursor={pages[1]['previous_cursor']}").json()
    assert [r["number"] for r in first["results"]] == [r["number"] for r in pages[0]["results"]]
    assert first["previous_cursor"] is None, "back on the first page"
    assert first["next_cursor"]


def test_filters_hold_on_every_page(world, many):
    client = _client(world.supervisor)
    numbers, _ = _walk(client, "/api/v1/cases?state=draft")
    assert numbers == [many[10].number, many[9].number]
    numbers, _ = _walk(client, f"/api/v1/cases?department_id={world.dept_a.pk}&state=submitted")
    assert numbers == [c.number for c in reversed(many[:9])]
    assert _walk(client, f"/api/v1/cases?department_id={world.dept_b.pk}")[0] == []


def test_the_first_pages_still_answer_by_number_and_deep_ones_ask_for_the_cursor(world, many):
    client = _client(world.clerk_a)
    by_number = client.get("/api/v1/cases?page=2&page_size=3").json()
    walked = _walk(client, "/api/v1/cases")[1]
    assert [r["number"] for r in by_number["results"]] == [r["number"] for r in walked[1]["results"]]
    assert by_number["page"] == 2 and by_number["next_cursor"]
    deep = client.get(f"/api/v1/cases?page={paging.COUNT_LIMIT}&page_size=100")
    assert deep.status_code == 422
    assert deep.json()["error"]["fields"] == {"page": "too_deep"}
    assert client.get("/api/v1/cases?page=5&page_size=3").json()["error"]["fields"] == {"page": "not_found"}


def _cursor(*payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(payload)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "nonsense", "%%%", "x" * 300, _cursor("due", "f", "2025-09-08", 1), _cursor("newest", "f", "1"),
    _cursor("newest", "sideways", 1), _cursor("newest", "f", 1, 2), _cursor("newest", "f", 2**70),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_bad_cursor_is_refused_with_422_naming_the_cursor(world, many, cursor):
    client = _client(world.clerk_a)
    audit = AuditEvent.objects.count()
    response = client.get("/api/v1/cases", {"cursor": cursor})
    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == ["cursor"]
    assert AuditEvent.objects.count() == audit, "a refused request changes nothing"


def test_a_cursor_of_one_list_is_refused_by_another(world, many):
    client = _client(world.supervisor)
    due = client.get("/api/v1/cases/supervision/cases?page_size=3").json()["next_cursor"]
    newest = client.get("/api/v1/cases?page_size=3").json()["next_cursor"]
    assert client.get(f"/api/v1/cases?cursor={due}").status_code == 422
    assert client.get(f"/api/v1/cases/supervision/cases?cursor={newest}").status_code == 422
    both = client.get(f"/api/v1/cases?cursor={newest}&page=1")
    assert both.status_code == 422 and "cursor" in both.json()["error"]["fields"]


def test_a_long_list_says_more_than_the_limit_unless_the_exact_count_is_asked(world, many, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    client = _client(world.clerk_a)
    page = client.get("/api/v1/cases?page_size=3").json()
    assert (page["count"], page["count_exact"]) == (5, False)
    exact = client.get("/api/v1/cases?page_size=3&exact_count=true").json()
    assert (exact["count"], exact["count_exact"]) == (11, True)


def test_a_deep_page_costs_the_statements_of_the_first(world, many, django_assert_max_num_queries):
    client = _client(world.supervisor)
    newest = _walk(client, "/api/v1/cases")[1]
    due = _walk(client, "/api/v1/cases/supervision/cases")[1]
    submitted = _walk(client, "/api/v1/cases?state=submitted")[1]
    of_a = _walk(client, f"/api/v1/cases/supervision/cases?department_id={world.dept_a.pk}")[1]
    assert len(submitted) > 2 and len(of_a) > 2
    paths = [
        "/api/v1/cases?page_size=3",
        f"/api/v1/cases?page_size=3&cursor={newest[-2]['next_cursor']}",
        f"/api/v1/cases?page_size=3&cursor={newest[-1]['previous_cursor']}",
        f"/api/v1/cases?page_size=3&state=submitted&cursor={submitted[1]['next_cursor']}",
        "/api/v1/cases/supervision/cases?page_size=3",
        f"/api/v1/cases/supervision/cases?page_size=3&cursor={due[-2]['next_cursor']}",
        f"/api/v1/cases/supervision/cases?page_size=3&department_id={world.dept_a.pk}&cursor={of_a[1]['next_cursor']}",
    ]
    for path in paths:
        # The token, the bounded count, the page: whatever the page's depth and filters.
        with django_assert_max_num_queries(3):
            assert client.get(path).status_code == 200, path


def test_the_workbench_pages_by_cursor_links(world, many, monkeypatch):
    from onewindow.cases.views import base

    monkeypatch.setattr(base, "PAGE_SIZE", 4)
    client = Client()
    client.force_login(world.clerk_a)
    first = client.get("/workbench/")
    assert first.status_code == 200
    link = first.context["page"].next_query
    assert link.startswith("?cursor=") and link in first.content.decode().replace("&amp;", "&")
    second = client.get(f"/workbench/{link}")
    shown = [c.number for c in [*first.context["page"].object_list, *second.context["page"].object_list]]
    assert len(set(shown)) == 8, "the second page goes on where the first stopped"
    assert second.context["page"].previous_query
    assert client.get("/workbench/?cursor=nonsense").status_code == 422
    board = Client()
    board.force_login(world.supervisor)
    assert board.get("/workbench/board/?list=yellow&cursor=nonsense").status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/cases/supervision/cases"])
def test_an_empty_page_reached_by_a_cursor_still_leads_back(world, many, path):
    client = _client(world.supervisor)
    numbers, pages = _walk(client, path)
    last = pages[-1]["results"][-1]["number"]
    Case.objects.filter(number__in=[r["number"] for r in pages[-1]["results"]]).delete()  # they left the list
    empty = client.get(f"{path}?page_size=3&cursor={pages[-2]['next_cursor']}").json()
    assert empty["results"] == [] and empty["count"] == len(numbers) - len(pages[-1]["results"])
    assert empty["previous_cursor"], "a way back from the empty page"
    back = client.get(f"{path}?page_size=3&cursor={empty['previous_cursor']}").json()
    assert [r["number"] for r in back["results"]] == [r["number"] for r in pages[-2]["results"]]
    assert back["previous_cursor"], "and on from there"
    assert last not in [r["number"] for r in back["results"]]


def _recrafted(cursor: str, *payload) -> str:
    """A cursor of the same list as `cursor` (its name and list tag) with another direction and keys."""
    name = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[0]
    return _cursor(name, *payload)


def test_an_empty_page_before_the_first_row_leads_forward(world, many):
    client = _client(world.clerk_a)
    newest = max(c.pk for c in many)
    real = client.get("/api/v1/cases?page_size=3").json()["next_cursor"]
    empty = client.get("/api/v1/cases", {"page_size": 3, "cursor": _recrafted(real, "b", newest)}).json()
    assert empty["results"] == [] and empty["previous_cursor"] is None
    first = client.get("/api/v1/cases", {"page_size": 3, "cursor": empty["next_cursor"]}).json()
    assert [r["number"] for r in first["results"]] == [c.number for c in sorted(many, key=lambda c: -c.pk)[:3]]


def test_paging_by_number_stops_before_the_limit(world, many):
    queryset = Case.objects.all()
    rows = paging.offset_page(queryset, paging.Ordering("newest", (("id", int),), descending=True),
                              number=3, size=3, max_offset=9)
    assert len(rows.rows) == 3, "rows 7–9: the last page inside the limit"
    with pytest.raises(paging.InvalidInput) as refused:
        paging.offset_page(queryset, paging.Ordering("newest", (("id", int),), descending=True),
                           number=4, size=3, max_offset=9)
    assert refused.value.fields == {"page": "too_deep"}


def test_a_cursor_kept_across_a_filter_change_or_another_list_is_refused_as_other_list(world, many):
    client = _client(world.clerk_a)
    green = client.get("/api/v1/cases?page_size=3&state=submitted").json()["next_cursor"]
    assert green
    refused = client.get(f"/api/v1/cases?page_size=3&cursor={green}")
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"cursor": "other_list"}
    assert client.get(f"/api/v1/cases?page_size=5&state=submitted&cursor={green}").status_code == 200, "size may change"
    from onewindow.cases.views import base

    page = Client()
    page.force_login(world.clerk_a)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "PAGE_SIZE", 2)
        link = page.get("/workbench/").context["page"].next_query
        assert link, "the workbench has a second page"
        cursor = link.split("cursor=")[1]
        assert page.get(f"/workbench/?cursor={cursor}").status_code == 200
        assert page.get(f"/workbench/?state=submitted&cursor={cursor}").status_code == 422, "filters changed"
        board = Client()
        board.force_login(world.supervisor)
        assert board.get(f"/workbench/board/?list=red&cursor={cursor}").status_code == 422, "another list"


@pytest.mark.parametrize(("language", "said"), [("zh-hans", "翻页链接无效"), ("en", "nothing was read")])
def test_a_bad_cursor_on_a_page_links_back_to_the_same_list_without_it(world, many, language, said):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.clerk_a)
    response = client.get("/workbench/?state=submitted&cursor=nonsense")
    assert response.status_code == 422
    links = [link["url"] for link in response.context["links"]]
    assert links[0] == "/workbench/?state=submitted", "the same list, its first page, the filter kept"
    assert links[0] in response.content.decode()
    if language == "zh-hans":
        assert said in response.content.decode()


@pytest.mark.parametrize("query", ["state=bogus", "light=purple"])
def test_an_unknown_filter_on_the_workbench_is_refused_naming_it(world, many, query):
    client = Client()
    client.force_login(world.clerk_a)
    response = client.get(f"/workbench/?{query}")
    assert response.status_code == 422
    assert f"（{query.split('=')[0]}）" in response.content.decode()
    assert client.get(f"/workbench/?{query.split('=')[0]}=").status_code == 200, "an empty filter is no filter"
