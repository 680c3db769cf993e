"""Focus is seen (WCAG 2.2, focus appearance): a keyboard user tabbing through the officer's home finds a
solid ring at least 2 px thick around every control it reaches, white on the blue menu, dark on the page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RING = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, menu: !!e.closest('.navbar'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          colour: s.outlineColor}; }"""


def test_every_control_reached_by_tab_shows_a_solid_ring(visit, officer_a, matrix):
    v = visit("keyboard")
    page = v.login(officer_a)
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring["tag"] == "BODY":
            continue
        seen.append(ring)
    assert len(seen) >= 10, seen
    assert all(r["style"] == "solid" and r["width"] >= 2 for r in seen), seen
    assert {r["colour"] for r in seen if r["menu"]} == {"rgb(255, 255, 255)"}
    assert {r["colour"] for r in seen if not r["menu"]} == {"rgb(5, 44, 101)"}
    v.assert_clean()
