"""How a figure is marked against its target in a table cell: a symbol and a shade, never colour alone."""

from __future__ import annotations

from components.html_table import Cell
from portfolio.config import Metric, Target
from portfolio.formatting import format_value

MET = "✔"
MISS = "✘"
FAILING = "background-color: #fde8e8; color: #a4161a; font-weight: 600"
MEETING = "background-color: #e6f4ea; color: #0b6b2b"


def marked(metric: Metric, value: float | None, status: str, show_met: bool = True, target: Target | None = None) -> str:
    """The figure with ✘ when below target (and ✔ when meeting it, unless ``show_met`` is off);
    "–" when there is no figure. With its ``target``, never printed the same as the target it misses."""
    if value is None or value != value:
        return "–"
    marks = {"not met": f" {MISS}", "met": f" {MET}" if show_met else ""}
    return format_value(metric, value, apart_from=target.value if target else None) + marks.get(status, "")


def marked_cell(metric: Metric, value: float | None, status: str, target: Target | None, show_met: bool = True,
                link: str | None = None) -> Cell:
    """``marked`` as a cell of an HTML table: red and ✘ below target, green and ✔ meeting it."""
    tone = {"not met": "miss", "met": "met" if show_met else None}.get(status)
    return Cell(marked(metric, value, status, show_met, target), tone=tone if value is not None else None, link=link)


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
