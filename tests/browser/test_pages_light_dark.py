"""Every daily page at 1280 px and 375 px, in the light and the dark theme: a screenshot saved
as a test artifact, no sideways scrolling, no word broken across lines, and no axe violation."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import DESKTOP, PHONE, seed_history
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"

# Every visible word (letters, split at hyphens) whose glyphs sit on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const word = /[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’]*/g;
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, .sr-only')) continue;
    let m;
    while ((m = word.exec(node.textContent))) {
      if (m[0].length < 2) continue;
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


def _seed_practice(owner) -> None:
    from safebase.web.practice import services

    services.record_checkin(owner=owner, emotion="hopeful", intensity=6, need="connection")
    services.record_checkin(owner=owner, emotion="anxious", intensity=7, need="reassurance")
    services.add_journal_entry(
        owner=owner, body="Told my partner I felt left out at dinner, and we talked it through."
    )


def test_daily_pages_at_two_widths_in_both_themes(signed_in, browsing, owner, artifacts):
    page = signed_in
    ids = seed_history(owner)
    _seed_practice(owner)
    paths = {
        "home": "/",
        "questionnaires": "/assessments/",
        "questionnaire": f"/assessments/{ids['open']}/page/2/",
        "result": f"/assessments/{ids['second']}/",
        "history": f"/history/?a={ids['first']}&b={ids['second']}",
        "plan": "/practice/",
        "checkin": "/practice/checkin/",
        "journal": "/practice/journal/",
        "progress": "/practice/progress/",
        "help": "/help/",
        "settings": "/accounts/settings/",
        "backup": "/backup/",
    }
    problems: dict[str, object] = {}
    shots = 0
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width_name, viewport in (("1280", DESKTOP), ("375", PHONE)):
            page.set_viewport_size(viewport)
            for name, path in paths.items():
                response = page.goto(browsing.base_url + path)
                assert response is not None and response.status == 200, (name, response)
                key = f"{name}-{width_name}-{scheme}"
                target = artifacts / f"{key}.png"
                page.screenshot(path=str(target), full_page=True)
                shots += target.stat().st_size > 10_000
                if (overflow := page.evaluate(HORIZONTAL_OVERFLOW)) > 0:
                    problems[f"{key}: scrolls sideways"] = overflow
                if broken := page.evaluate(BROKEN_WORDS):
                    problems[f"{key}: words broken across lines"] = broken[:10]
                if violations := blocking_violations(page):
                    problems[f"{key}: axe"] = violations
    assert shots == 2 * 2 * len(paths)
    assert not problems, json.dumps(problems, indent=2)


def test_the_broken_word_check_can_fail(signed_in, browsing):
    page = signed_in
    page.set_viewport_size(PHONE)
    page.goto(browsing.base_url + "/help/")
    assert page.evaluate(BROKEN_WORDS) == []
    # Through the CSSOM (the page's policy refuses a style attribute in markup).
    page.evaluate(
        """() => {
          const p = document.createElement('p');
          p.textContent = 'reassurance';
          p.style.width = '3rem';
          p.style.overflowWrap = 'anywhere';
          document.querySelector('main').append(p);
        }"""
    )
    assert "reassurance" in page.evaluate(BROKEN_WORDS)
