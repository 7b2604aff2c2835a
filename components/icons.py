"""The two Making Data Count icons (variation and assurance) as small SVG graphics with text
alternatives, for tiles, captions and table cells. Colours are NHSRplotthedots' MDC palette."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

COMMON = "#a6a6a6"
IMPROVEMENT = "#00b0f0"
CONCERN = "#e46c0a"
NEUTRAL = "#490092"

VARIATION = {  # icon → (colour, letter, last dots rise or fall, words)
    "common_cause": (COMMON, "", 0, "Common cause variation"),
    "improvement_high": (IMPROVEMENT, "H", 1, "Special cause variation: improvement, higher"),
    "improvement_low": (IMPROVEMENT, "L", -1, "Special cause variation: improvement, lower"),
    "concern_high": (CONCERN, "H", 1, "Special cause variation: concern, higher"),
    "concern_low": (CONCERN, "L", -1, "Special cause variation: concern, lower"),
    "neutral_high": (NEUTRAL, "H", 1, "Special cause variation: neither improvement nor concern, higher"),
    "neutral_low": (NEUTRAL, "L", -1, "Special cause variation: neither improvement nor concern, lower"),
}
ASSURANCE = {  # icon → (colour, letter, words)
    "pass": (IMPROVEMENT, "P", "Assurance: the process will consistently meet the target"),
    "fail": (CONCERN, "F", "Assurance: the process will consistently fail the target"),
    "inconsistent": (COMMON, "?", "Assurance: the process will hit and miss the target"),
}


def _svg(colour: str, letter: str, words: str, dots: list[tuple[float, float, str]]) -> str:
    marks = "".join(f'<circle cx="{x}" cy="{y}" r="2.6" fill="{fill}"/>' for x, y, fill in dots)
    baseline, size = (21, 15) if dots else (31, 22)  # with dots the letter sits above them
    text = (f'<text x="24" y="{baseline}" text-anchor="middle" font-family="Arial, sans-serif" '
            f'font-size="{size}" font-weight="bold" fill="{colour}">{escape(letter)}</text>') if letter else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" role="img">'
            f"<title>{escape(words)}</title>"
            f'<circle cx="24" cy="24" r="21" fill="white" stroke="{colour}" stroke-width="3.5"/>'
            f"{text}{marks}</svg>")


def variation_svg(icon: str) -> str:
    colour, letter, tilt, words = VARIATION[icon]
    heights = [31, 29, 31, 29, 31 - 3 * tilt, 31 - 6 * tilt]  # the last points rise (H) or fall (L)
    dots = [(11 + 5.2 * i, y, COMMON if i < 4 or not tilt else colour) for i, y in enumerate(heights)]
    return _svg(colour, letter, words, dots)


def assurance_svg(icon: str) -> str:
    colour, letter, words = ASSURANCE[icon]
    return _svg(colour, letter, words, [])


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def icon_markdown(kind: str, icon: str | None) -> str:
    """A Markdown image of the icon whose alt text says what it means; empty when there is none."""
    if icon is None:
        return ""
    svg, words = ((variation_svg(icon), VARIATION[icon][3]) if kind == "variation"
                  else (assurance_svg(icon), ASSURANCE[icon][2]))
    return f"![{words}]({data_uri(svg)})"


def icon_words(kind: str, icon: str | None) -> str:
    if icon is None:
        return "No assurance (no target)" if kind == "assurance" else ""
    return VARIATION[icon][3] if kind == "variation" else ASSURANCE[icon][2]
