"""Drive a page with the keyboard alone, checking that focus can be seen.

Every element that Tab reaches on the way is checked for a visible focus
indicator (an outline or a box shadow), not only the one a test wants.
A new flow reads like what a keyboard user does, for example commenting
on a competence description:

    tab_to(page, "Kreativitet")          # the link to the competence
    press(page, "Enter", navigates=True)
    tab_to(page, "Comment")              # the text area, by its label
    page.keyboard.type("Clearer wording, please")
    tab_to(page, "Send comment")
    press(page, "Enter", navigates=True)
"""

from __future__ import annotations

from typing import TypedDict

from playwright.sync_api import Page

# How far Tab may travel before the target counts as unreachable.
MAX_TABS = 80

# The indicator is what focus changes: outline and box shadow are read
# focused, then unfocused, and focus is put back where it was (date fields
# are compared with an unfocused copy instead).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const SEGMENTED = ["date", "time", "datetime-local", "month", "week"];
  const look = (of) => {
    const style = getComputedStyle(of);
    const drawn = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const outline = [style.outlineStyle, style.outlineWidth, style.outlineColor];
    return {
      outline: drawn ? outline.join(" ") : "",
      shadow: style.boxShadow === "none" ? "" : style.boxShadow,
    };
  };
  const focusedLook = look(el);
  let restingLook;
  if (SEGMENTED.includes(el.type)) {
    // Focusing a date field again puts the caret back in its first part,
    // so Tab would never leave it: an unfocused copy shows the resting look.
    const copy = el.cloneNode(false);
    copy.removeAttribute("id");
    el.after(copy);
    restingLook = look(copy);
    copy.remove();
  } else {
    el.blur();
    restingLook = look(el);
    el.focus({focusVisible: true, preventScroll: true});
  }
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const text = label || el.getAttribute("aria-label") || el.innerText || "";
  return {
    tag: el.tagName.toLowerCase(),
    text: text.trim().replace(/\\s+/g, " "),
    value: el.value === undefined ? null : String(el.value),
    outline: focusedLook.outline !== "" && focusedLook.outline !== restingLook.outline,
    shadow: focusedLook.shadow !== "" && focusedLook.shadow !== restingLook.shadow,
    size: box.width > 0 && box.height > 0,
    html: el.outerHTML.slice(0, 160),
  };
}"""


class Focus(TypedDict):
    tag: str
    text: str
    value: str | None
    outline: bool
    shadow: bool
    size: bool
    html: str


def focused(page: Page) -> Focus | None:
    """The focused element, or None when focus is on the page itself."""
    return page.evaluate(FOCUSED)


def assert_focus_visible(focus: Focus | None) -> None:
    if focus is None:
        return  # Tab left the document for the browser's own controls.
    if not focus["size"] or not (focus["outline"] or focus["shadow"]):
        raise AssertionError(f"No visible focus indicator on {focus}")


def press(page: Page, key: str, *, navigates: bool = False) -> Focus | None:
    """Press a key (e.g. "Tab", "Shift+Tab", "Enter", "Space", "ArrowDown");
    wait for the page it leads to when it navigates."""
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)
    focus = focused(page)
    if key in ("Tab", "Shift+Tab"):
        assert_focus_visible(focus)
    return focus


def tab_to(page: Page, text: str, *, backwards: bool = False) -> Focus:
    """Tab (or Shift+Tab) until the focused element's text or label starts
    with this text; fail when it cannot be reached."""
    key = "Shift+Tab" if backwards else "Tab"
    passed = []
    for _ in range(MAX_TABS):
        focus = press(page, key)
        if focus is not None and focus["text"].startswith(text):
            return focus
        passed.append(focus["text"] if focus else "(outside the page)")
    raise AssertionError(f"{text!r} not reachable with {key}; passed {passed}")


def choose(page: Page, steps: int) -> str:
    """Move a focused select's choice down (or up, when negative) by this
    many options with the arrow keys; the value it lands on."""
    key = "ArrowDown" if steps > 0 else "ArrowUp"
    for _ in range(abs(steps)):
        page.keyboard.press(key)
    focus = focused(page)
    assert focus is not None and focus["tag"] == "select", focus
    return focus["value"] or ""
