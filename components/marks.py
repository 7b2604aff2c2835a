"""How a figure is marked against its target in a table cell: a symbol and a shade, never colour alone."""

from __future__ import annotations

from portfolio.config import Metric
from portfolio.formatting import format_value

MET = "✔"
MISS = "✘"
FAILING = "background-color: #fde8e8; color: #a4161a; font-weight: 600"
MEETING = "background-color: #e6f4ea; color: #0b6b2b"


def marked(metric: Metric, value: float | None, status: str, show_met: bool = True) -> str:
    """The figure with ✘ when below target (and ✔ when meeting it, unless ``show_met`` is off);
    "–" when there is no figure."""
    if value is None:
        return "–"
    marks = {"not met": f" {MISS}", "met": f" {MET}" if show_met else ""}
    return format_value(metric, value) + marks.get(status, "")


def cell_style(text) -> str:
    """A Styler rule: red for a cell marked ✘, green for one marked ✔."""
    if not isinstance(text, str):
        return ""
    return FAILING if text.endswith(MISS) else (MEETING if text.endswith(MET) else "")


def status_style(text) -> str:
    """A Styler rule for a status written mark first ("✔ Met", "✘ Not met")."""
    if not isinstance(text, str):
        return ""
    return FAILING if text.startswith(MISS) else (MEETING if text.startswith(MET) else "")
