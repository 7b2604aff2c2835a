"""How a figure is marked against its target in a table cell: a symbol and a shade, never colour alone."""

from __future__ import annotations

from components.html_table import Cell
from portfolio.config.schema import Metric, Target
from portfolio.figures import judgement
from portfolio.outputs.formatting import MET, MISS, marked

FAILING = "background-color: #fde8e8; color: #a4161a; font-weight: 600"
MEETING = "background-color: #e6f4ea; color: #0b6b2b"


def marked_cell(metric: Metric, value: float | None, status: str, target: Target | None, show_met: bool = True,
                link: str | None = None) -> Cell:
    """``marked`` as a cell of an HTML table: red and ✘ below target, green and ✔ meeting it."""
    tone = {judgement.NOT_MET: "miss", judgement.MET: "met" if show_met else None}.get(status)
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
