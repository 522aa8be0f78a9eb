"""The English translation: pages are Chinese unless the visitor chose English, and the shipped catalog is complete.

Chinese (zh-hans) is the default and the msgids are the Chinese text; English comes from
locale/en/LC_MESSAGES/django.po, compiled to django.mo (committed, so no gettext is needed at run time).
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# The language cookie (the switch's choice), the Accept-Language header (ignored by pages), or nothing (zh-hans).
ENGLISH_BY_COOKIE = "cookie"
ENGLISH_BY_HEADER = "header"


def _get(client, url, how=None):
    if how == ENGLISH_BY_COOKIE:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.get(url)
    if how == ENGLISH_BY_HEADER:
        return client.get(url, headers={"accept-language": "en"})
    return client.get(url)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# -- pages ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("how", [ENGLISH_BY_COOKIE])
def test_catalog_home_is_english_when_the_visitor_prefers_english(client, how):
    html = _html(_get(client, reverse("catalog:home"), how))
    assert '<html lang="en">' in html
    for english in ["Government service catalog", "Service catalog", "Browse by department",
                    "One-thing package themes", "Log in", "No matching services", "services in total"]:
        assert english in html, english
    for chinese in ["政务服务事项清单", "事项清单", "按部门浏览", "一件事主题", "登录", "没有符合条件的事项", "项事项"]:
        assert chinese not in html, chinese
    # The switch offers the way back to Chinese.
    assert 'value="zh-hans"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("how", [ENGLISH_BY_COOKIE])
def test_login_page_is_english_when_the_visitor_prefers_english(client, how):
    html = _html(_get(client, reverse("core:login"), how))
    assert '<html lang="en">' in html
    for english in ["Log in", "Username", "Password", "Service catalog"]:
        assert english in html, english
    for chinese in ["登录", "用户名", "密码", "事项清单"]:
        assert chinese not in html, chinese


@pytest.mark.django_db
def test_a_failed_login_says_so_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("core:login"), {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert "Incorrect username or password" in html
    assert "用户名或密码不正确" not in html


@pytest.mark.django_db
def test_pages_are_chinese_without_a_preference(client):
    home = _html(client.get(reverse("catalog:home")))
    assert '<html lang="zh-hans">' in home
    assert "政务服务事项清单" in home and "按部门浏览" in home
    assert "Government service catalog" not in home and "Browse by department" not in home
    assert 'value="en"' in home  # the switch offers English

    login = _html(client.get(reverse("core:login")))
    assert '<html lang="zh-hans">' in login
    assert "用户名" in login and "密码" in login
    assert "Username" not in login and "Password" not in login


@pytest.mark.django_db
def test_an_english_browser_gets_chinese_pages_until_english_is_chosen(client):
    home = _html(_get(client, reverse("catalog:home"), ENGLISH_BY_HEADER))
    assert '<html lang="zh-hans">' in home and "政务服务事项清单" in home
    assert "Government service catalog" not in home
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = _html(_get(client, reverse("catalog:home"), ENGLISH_BY_HEADER))
    assert '<html lang="en">' in html and "Government service catalog" in html


@pytest.mark.django_db
def test_the_language_switch_buttons_say_which_language_they_are_in(client):
    assert '<button name="language" value="en" lang="en">English</button>' in _html(client.get("/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<button name="language" value="zh-hans" lang="zh-Hans">中文</button>' in _html(client.get("/"))


@pytest.mark.django_db
def test_choosing_english_with_the_language_switch_sticks(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = _html(client.get(reverse("catalog:home")))
    assert '<html lang="en">' in html and "Government service catalog" in html


# -- the catalog itself --------------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body[1:-1])


def read_po(path: Path) -> list[dict]:
    """The live (non-obsolete) entries of a .po file: msgctxt, msgid, msgid_plural, msgstr forms, flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        current = None
        obsolete = False
        for line in block.splitlines():
            if line.startswith("#~"):
                obsolete = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
                keyword, index, value = match.groups()
                current = ("msgstr", int(index or 0)) if keyword == "msgstr" else (keyword, None)
                _store(entry, current, _unquote(value), append=False)
            elif line.startswith('"') and current:
                _store(entry, current, _unquote(line), append=True)
            else:
                raise AssertionError(f"unreadable line in {path.name}: {line!r}")
        if not obsolete and entry["msgid"] is not None:
            entries.append(entry)
    return entries


def _store(entry: dict, where: tuple, value: str, append: bool) -> None:
    keyword, index = where
    if keyword == "msgstr":
        entry["msgstr"][index] = (entry["msgstr"].get(index, "") if append else "") + value
    else:
        entry[keyword] = ((entry[keyword] or "") if append else "") + value


PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def test_the_english_catalog_exists_and_is_compiled():
    assert PO_PATH.exists(), PO_PATH
    assert MO_PATH.exists(), "run `onewindow compilemessages` from src/onewindow and commit django.mo"


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_PATH)
    header = next(e for e in entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"], "a fuzzy header drops Plural-Forms from the compiled catalog"
    assert "Language: en" in header["msgstr"][0]
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(messages) > 100
    empty = [e["msgid"] for e in messages if not e["msgstr"] or any(v == "" for v in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert empty == [], f"{len(empty)} untranslated: {empty[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"
    for e in messages:
        if e["msgid_plural"] is not None:
            assert sorted(e["msgstr"]) == [0, 1], e["msgid"]


def test_translations_keep_every_placeholder():
    for e in read_po(PO_PATH):
        if e["msgid"] == "":
            continue
        wanted = sorted(PLACEHOLDER.findall(e["msgid_plural"] or e["msgid"]))
        for form in e["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(form)) == wanted, (e["msgid"], form)


def test_the_compiled_catalog_matches_the_po_file():
    """django.mo is committed: it must be recompiled whenever django.po changes."""
    with MO_PATH.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    assert compiled.info().get("language") == "en"
    stale = []
    for e in read_po(PO_PATH):
        if e["msgid"] == "" or "fuzzy" in e["flags"]:
            continue
        prefix = f"{e['msgctxt']}\x04" if e["msgctxt"] is not None else ""
        if e["msgid_plural"] is None:
            if compiled._catalog.get(prefix + e["msgid"]) != e["msgstr"][0]:
                stale.append(e["msgid"])
        else:
            for index, form in e["msgstr"].items():
                if compiled._catalog.get((prefix + e["msgid"], index)) != form:
                    stale.append(e["msgid"])
    assert stale == [], f"django.mo is out of date for {len(stale)} entries, e.g. {stale[:5]}"
