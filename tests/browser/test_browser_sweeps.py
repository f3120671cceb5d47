"""The shared browser walk of issue 13: one Chromium, one pass over one page per URL pattern and
role, checking each page for XSS (payloads in every free-text field, found by introspection) and
for accessibility (axe-core, injected into the test browser only). What is swept and how the pages
are found: tests/browser/sweeps.py. Run alone with `make browser-checks` (docs/testing.md).

The contexts bypass the pages' Content-Security-Policy: axe-core is injected as a script, and a
payload that reached the DOM unescaped must show here even though the CSP would block it in
production (escaping is the defence; the CSP is the second one, checked by the header tests).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import resource
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest

from challenges.models import Bid
from tests.browser import sweeps
from tests.platform.url_role_table import ANONYMOUS
from tests.servers import daphne

pytestmark = [pytest.mark.browser, pytest.mark.browser_checks]

# Pages open at once in the one browser (two cores: one page's axe run overlaps another's load).
LANES = 2
# axe impacts that fail the walk (moderate and minor ones are reported, not failed).
FAILING_IMPACTS = ("critical", "serious")

# What a payload would leave in the DOM had it been inserted as markup: an element it created (each
# carries `xss`), a URL attribute with the javascript: scheme, an event handler naming __xss.
XSS_PROBE = """() => {
  const found = [];
  for (const element of document.querySelectorAll("[xss]")) found.push(element.outerHTML.slice(0, 160));
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (["href", "src", "action", "formaction", "xlink:href", "data", "poster"].includes(attribute.name)
          && value.startsWith("javascript:")) {
        found.push(`${element.tagName.toLowerCase()}[${attribute.name}=${attribute.value.slice(0, 80)}]`);
      }
      if (attribute.name.startsWith("on") && attribute.value.includes("__xss")) {
        found.push(`${element.tagName.toLowerCase()}[${attribute.name}=${attribute.value.slice(0, 80)}]`);
      }
    }
  }
  return {found, executed: window.__xss === undefined ? null : String(window.__xss)};
}"""

AXE_RUN = """async () => {
  // label-content-name-mismatch is one of axe's "experimental" rules, off unless asked for.
  const results = await axe.run(document, {
    resultTypes: ["violations"], rules: {"label-content-name-mismatch": {enabled: true}},
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.html.slice(0, 120)),
  }));
}"""


@dataclass
class Findings:
    xss: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    moderate: Counter = field(default_factory=Counter)
    status: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    visited: int = 0
    checked_by_axe: int = 0
    not_html: list[str] = field(default_factory=list)
    # payload codes whose text showed, escaped, on some page
    seen_codes: set[str] = field(default_factory=set)
    seconds: Counter = field(default_factory=Counter)


async def log_in(page, base: str, username: str) -> None:
    await page.goto(f"{base}/login/")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill("pw-for-tests")
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_url(f"{base}/")


async def visit(page, base: str, target: sweeps.Page, findings: Findings, events: list[str]) -> None:
    from playwright.async_api import Error

    where = f"{target.name} as {target.role} ({target.url})"
    events.clear()
    clock = time.monotonic()
    try:
        response = await page.goto(base + target.url, wait_until="load")
    except Error as error:
        if "Download is starting" in str(error):
            # A file download (an attachment): not a page; the upload sweep checks how it is served.
            findings.not_html.append(where)
            return
        raise
    findings.visited += 1
    findings.seconds["load"] += time.monotonic() - clock
    if response is None or response.status != 200:
        findings.status.append(f"{where}: {response and response.status}, the URL x role table says 200")
        return
    if "text/html" not in (response.headers.get("content-type") or ""):
        findings.not_html.append(where)
        return
    if await page.locator("[data-history-url]").count():
        # The chat pane loads its history after the page and renders the message bodies: wait.
        await page.wait_for_load_state("networkidle", timeout=10_000)
    probe = await page.evaluate(XSS_PROBE)
    if probe["found"] or probe["executed"]:
        findings.xss.append(f"{where}: executed={probe['executed']} found={probe['found'][:5]}")
    findings.seen_codes.update(await page.evaluate(SEEN_CODES))
    findings.console.extend(f"{where}: {each}" for each in events)
    if target.api:
        return
    clock = time.monotonic()
    await page.add_script_tag(path=str(sweeps.AXE))
    findings.checked_by_axe += 1
    for violation in await page.evaluate(AXE_RUN):
        if violation["impact"] in FAILING_IMPACTS:
            impact, rule = violation["impact"], violation["id"]
            findings.axe.append(f"{where}: [{impact}] {rule}: {violation['help']} {violation['nodes']}")
        else:
            findings.moderate[f"{violation['id']} ({violation['impact']})"] += 1
    findings.seconds["axe"] += time.monotonic() - clock


async def walk_as(browser, base: str, role: str, pages: list[sweeps.Page], findings: Findings) -> None:
    context = await browser.new_context(
        bypass_csp=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    events: list[str] = []

    async def on_dialog(dialog) -> None:
        events.append(f"dialog: {dialog.message}")
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and events.append(message.text))
    if role != ANONYMOUS:
        await log_in(page, base, role)
    for target in pages:
        await visit(page, base, target, findings, events)
    await context.close()


async def walk(base: str, by_role: dict[str, list[sweeps.Page]], lanes: int) -> Findings:
    """One Chromium; `lanes` pages at once, each walking whole roles (the longest first), so one
    page's axe run overlaps another's load on the two cores."""
    from playwright.async_api import async_playwright

    findings = Findings()
    roles: asyncio.Queue[str] = asyncio.Queue()
    for role in sorted(by_role, key=lambda each: -len(by_role[each])):
        roles.put_nowait(role)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=sweeps.CHROMIUM, args=sweeps.CHROMIUM_ARGS)

        async def lane() -> None:
            while not roles.empty():
                role = roles.get_nowait()
                await walk_as(browser, base, role, by_role[role], findings)

        await asyncio.gather(*(lane() for _ in range(lanes)))
        await browser.close()
    return findings


# The codes of the payloads whose text the page shows (escaped): the sweep saw those fields.
SEEN_CODES = """() => [...document.documentElement.outerHTML.matchAll(/xss=(\\d+)/g)].map((m) => m[1])"""


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def test_every_text_field_is_swept_or_left_out_with_a_reason():
    labels = {sweeps.label(each) for each in sweeps.text_fields()}
    stale = sorted((set(sweeps.EXCLUDED) | set(sweeps.DERIVED)) - labels)
    assert not stale, f"exclusions for text fields that no longer exist: {stale}"
    sweep = sweeps.classify()
    swept = {sweeps.label(each) for each in sweep.swept}
    assert swept | set(sweep.left_out) == labels and not swept & set(sweep.left_out)
    # The introspection finds the domains' own fields (a broken discovery would sweep nothing).
    for expected in ("challenges.Bid.approach", "alliances.Message.body", "orgs.Studio.description"):
        assert expected in swept
    assert "accounts.User.username" in sweep.left_out  # its validator refuses markup


def test_one_walk_finds_no_xss_and_no_serious_accessibility_violation(tcast):
    started = time.monotonic()
    cpu_before = _cpu_seconds()
    world = sweeps.make_sweep_world(tcast)
    filled = sweeps.fill_payloads()
    assert not filled.empty, (
        "these swept text fields have no row to carry a payload: add one to make_sweep_world "
        f"(tests/browser/sweeps.py), or exclude the field with a reason in EXCLUDED: {filled.empty}"
    )
    swept = {sweeps.label(each) for each in sweeps.classify().swept}
    pages = list(sweeps.pages_for(world))
    by_role: dict[str, list[sweeps.Page]] = defaultdict(list)
    for each in pages:
        by_role[each.role].append(each)
    sweeps.require_browser()
    # Playwright's event loop runs in a thread of its own: none in this one, where the ORM works.
    with daphne() as base, concurrent.futures.ThreadPoolExecutor(1) as thread:
        findings = thread.submit(asyncio.run, walk(base, by_role, LANES)).result()
    elapsed = time.monotonic() - started
    # CPU seconds of this process, daphne and Chromium: what the walk costs whatever else runs.
    cpu = _cpu_seconds() - cpu_before
    print(
        f"\nbrowser walk: {findings.visited} pages ({findings.checked_by_axe} through axe) as "
        f"{len(sweeps.WALK_ROLES)} roles in {elapsed:.0f}s ({cpu:.0f} CPU s); "
        f"{len(filled.sources)} payloads in {len(swept)} fields, "
        f"{len(findings.seen_codes)} seen; not HTML: "
        f"{len(findings.not_html)}; moderate or minor axe findings: {dict(findings.moderate)}; "
        f"seconds: { ({k: round(v) for k, v in findings.seconds.items()}) }"
    )
    problems = findings.status + findings.xss + findings.console + findings.axe
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems)
    # The walk did meet the payloads: many rows' text shows somewhere, escaped (a walk that loads
    # nothing, or pages that show no user text, would pass the checks above without testing them).
    # (a page that truncates a text may cut a code short: only whole codes count)
    seen = [filled.sources[int(code)] for code in findings.seen_codes if int(code) in filled.sources]
    seen_fields = {source.split(" #")[0] for source in seen}
    print(f"fields whose payload no page of the walk showed: {sorted(set(swept) - seen_fields)}")
    assert len(seen) > len(filled.sources) // 3, "the walk saw few of the payloads"
    assert len(seen_fields) > len(swept) // 2, "the walk saw the payloads of few fields"


def test_a_url_pattern_without_a_row_stops_the_walk_and_says_where_to_register_it(monkeypatch):
    monkeypatch.delitem(sweeps.ROWS, "studios:list")
    with pytest.raises(sweeps.UnbuildablePattern, match=r"studios:list.*url_role_table\.py"):
        next(sweeps.pages_for(None))  # type: ignore[arg-type]


def test_the_probes_catch_an_unescaped_payload_and_a_name_mismatch():
    """The walk's checks can fail: a page where payloads did become markup, and a link whose
    accessible name hides its visible text."""
    page_html = (
        '<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main><h1>t</h1>'
        f"{sweeps.payload_for(Bid._meta.get_field('approach'), 1234)}"
        '<a href=" JavaScript:void(0)">x</a> <a href="/n" aria-label="通知">3</a></main></body></html>'
    )
    with sweeps.chromium() as browser:
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_content(page_html, wait_until="load")
        probe = page.evaluate(XSS_PROBE)
        page.add_script_tag(path=str(sweeps.AXE))
        rules = {violation["id"] for violation in page.evaluate(AXE_RUN)}
        context.close()
    assert probe["executed"] == "1234" and dialogs
    assert any(each.startswith("<img xss") for each in probe["found"])
    assert any(each.startswith("<script xss") for each in probe["found"])
    assert any(each.startswith("a[href= JavaScript:") for each in probe["found"])
    assert "label-content-name-mismatch" in rules
