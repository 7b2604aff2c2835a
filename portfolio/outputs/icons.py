"""The two Making Data Count icons (variation and assurance) as small SVG graphics with text
alternatives, for tiles, captions and table cells. Colours are NHSRplotthedots' MDC palette."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

from portfolio.figures.judgement import ASSURANCE_WORDS, VARIATION_GROUPS, VARIATION_WORDS

COMMON = "#a6a6a6"
IMPROVEMENT = "#00b0f0"
CONCERN = "#e46c0a"
NEUTRAL = "#490092"

VARIATION = {  # icon → (colour, letter, last dots rise or fall, words)
    "common_cause": (COMMON, "", 0),
    "improvement_high": (IMPROVEMENT, "H", 1),
    "improvement_low": (IMPROVEMENT, "L", -1),
    "concern_high": (CONCERN, "H", 1),
    "concern_low": (CONCERN, "L", -1),
    "neutral_high": (NEUTRAL, "H", 1),
    "neutral_low": (NEUTRAL, "L", -1),
}
VARIATION = {icon: (*drawn, VARIATION_WORDS[icon]) for icon, drawn in VARIATION.items()}
ASSURANCE = {  # icon → (colour, letter, words)
    "pass": (IMPROVEMENT, "P", ASSURANCE_WORDS["pass"]),
    "fail": (CONCERN, "F", ASSURANCE_WORDS["fail"]),
    "inconsistent": (COMMON, "?", ASSURANCE_WORDS["inconsistent"]),
}
NO_ASSURANCE = "No target, so no assurance icon"


def _svg(colour: str, letter: str, words: str, dots: list[tuple[float, float, str]], size: int = 48) -> str:
    marks = "".join(f'<circle cx="{x}" cy="{y}" r="2.6" fill="{fill}"/>' for x, y, fill in dots)
    baseline, font_size = (21, 15) if dots else (31, 22)  # with dots the letter sits above them
    text = (f'<text x="24" y="{baseline}" text-anchor="middle" font-family="Arial, sans-serif" '
            f'font-size="{font_size}" font-weight="bold" fill="{colour}">{escape(letter)}</text>') if letter else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 48 48" role="img">'
            f"<title>{escape(words)}</title>"
            f'<circle cx="24" cy="24" r="21" fill="white" stroke="{colour}" stroke-width="3.5"/>'
            f"{text}{marks}</svg>")


def variation_svg(icon: str, size: int = 48) -> str:
    colour, letter, tilt, words = VARIATION[icon]
    heights = [31, 29, 31, 29, 31 - 3 * tilt, 31 - 6 * tilt]  # the last points rise (H) or fall (L)
    dots = [(11 + 5.2 * i, y, COMMON if i < 4 or not tilt else colour) for i, y in enumerate(heights)]
    return _svg(colour, letter, words, dots, size)


def group_svg(group: str, size: int = 48) -> str:
    """A variation icon with no H or L, for a heading that covers both (``improvement``,
    ``common_cause``, ``concern`` or ``neither``)."""
    colour = {"improvement": IMPROVEMENT, "concern": CONCERN, "neither": NEUTRAL}.get(group, COMMON)
    heights = [31, 29, 31, 29, 31, 29]
    dots = [(11 + 5.2 * i, y, COMMON if i < 4 else colour) for i, y in enumerate(heights)]
    return _svg(colour, "", VARIATION_GROUPS[group], dots, size)


def assurance_svg(icon: str, size: int = 48) -> str:
    colour, letter, words = ASSURANCE[icon]
    return _svg(colour, letter, words, [], size)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def icon_svg(kind: str, icon: str, size: int = 48) -> str:
    return variation_svg(icon, size) if kind == "variation" else assurance_svg(icon, size)


def icon_markdown(kind: str, icon: str | None, size: int = 48) -> str:
    """A Markdown image of the icon whose alt text says what it means; empty when there is none."""
    if icon is None:
        return ""
    return f"![{icon_words(kind, icon)}]({data_uri(icon_svg(kind, icon, size))})"


def icon_words(kind: str, icon: str | None) -> str:
    if icon is None:
        return NO_ASSURANCE if kind == "assurance" else ""
    return VARIATION[icon][3] if kind == "variation" else ASSURANCE[icon][2]


def shown_icons(summary) -> list[tuple[str, str]]:
    """(kind, icon) for each icon a summary judged by SPC shows: its variation, and its assurance
    where it has a target; none with too few months."""
    if not summary.judged_by_spc:
        return []
    return [("variation", summary.variation_icon)] + ([("assurance", summary.assurance_icon)]
                                                      if summary.assurance_icon else [])


def icon_pairs(summary) -> tuple[tuple[str, str], ...]:
    """The icons a summary shows, each drawn and with its words, for a table cell."""
    return tuple((icon_svg(kind, icon), icon_words(kind, icon)) for kind, icon in shown_icons(summary))


def sparkline_svg(values: list[float], words: str, width: int = 110, height: int = 26) -> str:
    """A small line of recent values, oldest first, for a table cell; ``words`` say what it shows."""
    if len(values) < 2:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
                f"<title>{escape(words)}</title></svg>")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    points = " ".join(f"{2 + i * step:.1f},{height - 3 - (v - low) / span * (height - 6):.1f}"
                      for i, v in enumerate(values))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
            f"<title>{escape(words)}</title>"
            f'<polyline points="{points}" fill="none" stroke="#005EB8" stroke-width="1.8"/></svg>')
