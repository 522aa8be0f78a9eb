"""What a journey does in the browser besides its own steps: contexts for a desk screen, a phone and 200 % zoom,
signing in, switching language, and the audit of every page visited (axe-core's WCAG 2.1 AA rules; in English,
no Chinese left outside elements marked lang="zh-Hans")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from onewindow.core.tests.browser import PHONE, axe_violations, screenshots_on_failure

DESK = {"width": 1280, "height": 900}
# 200 % zoom on a 1280-pixel desk screen: the browser lays the page out in 640 CSS pixels and draws each at two
# device pixels. A 640-pixel viewport at deviceScaleFactor 2 is exactly that, media queries included; CSS `zoom`
# on the root is not (the layout keeps its 1280 CSS pixels and media queries do not fire), so it would test a
# page no magnifier user ever sees.
ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}
PASSWORD = "journey-pass-2025"

# Text a person reads or hears: visible text nodes and the names given in attributes, outside lang="zh-Hans".
_HAN_LEFT = """() => {
  const han = /[\\u3400-\\u9fff\\uf900-\\ufaff]/;
  const chinese = (el) => el.closest('[lang^="zh" i]') !== null;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !han.test(node.nodeValue) || chinese(el)) continue;
    if (el.closest('script, style, template, noscript')) continue;
    // The Chinese and a little of what surrounds it, so a long English sentence still shows what is left.
    const text = node.nodeValue.trim();
    const at = text.search(han);
    found.push((at > 20 ? '…' : '') + text.slice(Math.max(0, at - 20), at + 40));
  }
  for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt], input[value]')) {
    if (chinese(el)) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && han.test(value)) found.push(`${name}="${value.slice(0, 60)}"`);
    }
    if (['submit', 'button', 'reset'].includes(el.type) && han.test(el.value)) found.push(`value="${el.value}"`);
  }
  return found;
}"""

# Text that needs the page to scroll sideways, or is cut off by its box, at the current viewport. A data table
# may scroll inside its own wrapper (WCAG 1.4.10 excepts two-dimensional content); nothing else may.
_REFLOW = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${width}px`);
  }
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.closest('table')) continue;
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
    if (!text) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) problems.push(`${describe(el)} runs outside the ${width}px screen`);
    const clips = (v) => v === 'hidden' || v === 'clip';
    if ((clips(style.overflowX) || clips(style.overflow)) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} cuts its text off (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
    if ((clips(style.overflowY) || clips(style.overflow)) && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${describe(el)} cuts its text off below (${el.scrollHeight}px in ${el.clientHeight}px)`);
    }
  }
  return problems.slice(0, 10);
}"""


@dataclass
class Site:
    """The running site of one journey module: its address, the browser, where failing journeys leave pictures."""

    base: str
    browser: object
    screenshots: Path

    def context(self, *, phone: bool = False, zoom: bool = False, **options):
        """A fresh browser context (its own cookies): a desk screen, a 390-pixel phone, or 200 % zoom."""
        if zoom:
            options = {**ZOOM_200, **options}
        else:
            options.setdefault("viewport", PHONE if phone else DESK)
        if phone:
            options.update(is_mobile=True, has_touch=True)
        context = self.browser.new_context(locale="zh-CN", **options)
        # Playwright's own default, said once: a step that waits longer for what it expects has failed.
        context.set_default_timeout(30_000)
        return context

    def url(self, path: str) -> str:
        return self.base + path

    @contextmanager
    def pictures(self, pages: dict) -> Iterator[None]:
        """Screenshots of each named page when the block fails (onewindow.core.tests.browser)."""
        with screenshots_on_failure(pages, self.screenshots):
            yield


@dataclass
class Audit:
    """Everything found wrong along a journey, asserted once at its end with the page, the rule and the target."""

    site: Site | None = None
    problems: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def page(self, page, *, english: bool = False) -> None:
        """axe-core's WCAG 2.1 AA rules over the page as it is now; in English, no Chinese outside names."""
        where = page.url.split("://", 1)[-1].split("/", 1)[-1]
        key = (where, english)
        if key in self.seen:
            return
        self.seen.add(key)
        for violation in axe_violations(page):
            targets = ", ".join(" ".join(t) for t in violation["targets"][:3])
            self.problems.append(f"/{where}: axe {violation['id']} ({violation['help']}) at {targets}")
        if english:
            left = page.evaluate(_HAN_LEFT)
            if left:
                self.problems.append(f"/{where}: Chinese left on the English page: {left[:8]}")

    def reflow(self, page) -> None:
        """The page at 200 % zoom: readable without sideways scrolling, nothing cut off."""
        where = page.url.split("://", 1)[-1].split("/", 1)[-1]
        for problem in page.evaluate(_REFLOW):
            self.problems.append(f"/{where} at 200 % zoom: {problem}")

    def note(self, problem: str) -> None:
        self.problems.append(problem)

    def assert_clean(self) -> None:
        assert not self.problems, "what a person meets along this journey:\n  " + "\n  ".join(self.problems)


def log_in(page, site: Site, username: str, *, password: str = PASSWORD, next_path: str = "") -> None:
    """Sign in through the login form (asking to come back to `next_path` when given)."""
    page.goto(site.url("/accounts/login/" + (f"?next={next_path}" if next_path else "")))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def tab_to(page, selector: str, *, limit: int = 150) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def choose_file_by_keyboard(page, selector: str, path: Path) -> None:
    """Reach a file input with Tab, open its file chooser with Space, and pick `path` there."""
    tab_to(page, selector)
    chooser = None
    # Chromium drops a key's request for a chooser while it still counts the previous one as open, which on a
    # loaded machine can outlast the previous pick; a second press of Space, still by keyboard, then opens it.
    for _ in range(2):
        try:
            with page.expect_file_chooser(timeout=15_000) as opened:
                page.keyboard.press("Space")
            chooser = opened.value
            break
        except PlaywrightTimeoutError:
            assert page.evaluate("(s) => document.activeElement.matches(s)", selector), f"{selector} lost the focus"
    assert chooser is not None, f"Space on {selector} never opened a file chooser"
    chooser.set_files(str(path))
    # The pick is done when the input holds the file; only then may the next chooser be asked for.
    page.wait_for_function("(s) => document.querySelector(s).files.length > 0", arg=selector)


def to_english(page) -> None:
    """The header's language switch, as a person uses it."""
    with page.expect_navigation():
        page.click("form.lang button[value=en], button[name=language][value=en]")


def to_chinese(page) -> None:
    with page.expect_navigation():
        page.click("form.lang button[value=zh-hans], button[name=language][value=zh-hans]")
