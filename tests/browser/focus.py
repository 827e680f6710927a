"""Keyboard focus in a real browser: Tab through a page and tell whether each focused element shows its focus.

An indicator counts when it is an outline, or a box-shadow that the element does not have unfocused, and
when its colour has at least 3:1 contrast with the background around the element (WCAG 1.4.11).
"""

from __future__ import annotations

import re

TAB_PRESSES = 25
MIN_CONTRAST = 3.0
WHITE = (255.0, 255.0, 255.0)
# Remembers each focusable element's box-shadow before any focus, to tell a focus ring from a plain shadow.
SNAPSHOT_SCRIPT = """() => {
  window.__hubUnfocused = new Map();
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
    window.__hubUnfocused.set(el, getComputedStyle(el).boxShadow);
  }
}"""
# The ring is drawn outside the element, so what lies behind it is its ancestors' backgrounds, up to an opaque one.
FOCUSED_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  // Pico eases its focus box-shadow in: measure where the transition ends, not its first frame.
  for (const animation of el.getAnimations()) { animation.finish(); }
  const style = getComputedStyle(el);
  const label = el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '';
  const backdrop = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const background = getComputedStyle(node).backgroundColor;
    backdrop.push(background);
    if (/^rgb\\(/.test(background)) { break; }
  }
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' « ' + label.trim().slice(0, 40) + ' »',
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    boxShadowBefore: window.__hubUnfocused ? window.__hubUnfocused.get(el) : undefined,
    backdrop: backdrop,
  };
}"""
COLOR = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgba(text: str) -> tuple[tuple[float, float, float], float] | None:
    match = COLOR.search(text)
    if match is None:
        return None
    red, green, blue, alpha = match.groups()
    return (float(red), float(green), float(blue)), float(alpha) if alpha is not None else 1.0


def _over(color: tuple[float, float, float], alpha: float, below: tuple[float, float, float]):
    return tuple(alpha * top + (1 - alpha) * bottom for top, bottom in zip(color, below))


def _luminance(color: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(channel) for channel in color)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: str, backdrop: list[str]) -> float:
    """Contrast ratio of the colour in ``text`` over the stacked backgrounds (innermost first, on white)."""
    below = WHITE
    for layer in reversed(backdrop):
        parsed = _rgba(layer)
        if parsed is not None:
            below = _over(*parsed, below)
    parsed = _rgba(text)
    if parsed is None:
        return 1.0
    ring = _over(*parsed, below)
    lighter, darker = sorted((_luminance(ring), _luminance(below)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_problem(focused: dict) -> str | None:
    """Why the focused element shows no visible focus indicator, or None when it shows one."""
    if not focused["focusVisible"]:
        return "ne correspond pas à :focus-visible au clavier"
    candidates = []
    if focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0:
        candidates.append(contrast(focused["outlineColor"], focused["backdrop"]))
    shadow = focused["boxShadow"]
    if shadow != "none" and shadow != focused["boxShadowBefore"] and "inset" not in shadow:
        candidates += [contrast(color.group(0), focused["backdrop"]) for color in COLOR.finditer(shadow)]
    if candidates and max(candidates) >= MIN_CONTRAST:
        return None
    best = f", contraste {max(candidates):.2f}:1" if candidates else ""
    return (f"indicateur absent ou trop pâle (outline {focused['outlineStyle']} {focused['outlineWidth']}px "
            f"{focused['outlineColor']}, box-shadow {shadow}{best})")


def tab_through(page) -> tuple[list[str], list[str]]:
    """Press Tab through the first focusable elements; return those reached and those without a visible focus."""
    page.evaluate(SNAPSHOT_SCRIPT)
    reached: list[str] = []
    problems: list[str] = []
    for _ in range(TAB_PRESSES):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_SCRIPT)
        if focused is None or (reached and focused["element"] == reached[0]):
            break  # back to the page itself, or round to the start: every element has had its turn
        reached.append(focused["element"])
        problem = focus_problem(focused)
        if problem:
            problems.append(f"{focused['element']} : {problem}")
    return reached, problems
