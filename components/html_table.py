"""A board table drawn as plain HTML: it fits the page (cells wrap, nothing scrolls sideways), its
names are never cut, its links open in the same tab, and a screen reader hears its row and column
headers. Every piece of text from the config or the extracts is escaped here; no markup from data
ever reaches the page.

    html_table(["Metric", "Apr-26", "Target"], [("Waits", [[Cell("RTT 18 weeks", link="deep-dive?…"),
               Cell("62.3% ✘", tone="miss"), Cell("≥ 92.0%")]])], caption="Elective care scorecard")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import pandas as pd
import streamlit as st

from components.exported import keep_table
from portfolio.outputs.icons import data_uri


@dataclass(frozen=True)
class Cell:
    text: str = ""
    link: str | None = None  # a relative URL, opened in the same tab
    tone: str | None = None  # "miss" (red, below target), "met" (green) or "strong" (bold)
    note: str | None = None  # a second, smaller line
    icons: tuple[tuple[str, str], ...] = ()  # (SVG, the words it stands for), drawn before the text
    help: str | None = None  # said on hover
    keep: bool = False  # never wrapped ("≥ 92.0%", "↓ Worse"), even in a dense table
    picture: tuple[str, str] | None = None  # an SVG drawn at its own size (a sparkline), and its words


KEPT_TOGETHER = re.compile(r"[A-Z][a-z]{2}-\d{2}|[✔✘] (?:Not met|Met)")  # never broken over two lines


def kept_together(words: str) -> str:
    """Text escaped, a month ("Sep-26") and a status ("✘ Not met") each kept on one line."""
    return KEPT_TOGETHER.sub(lambda found: f'<span class="pp-keep">{found.group(0)}</span>', escape(words))


def _content(cell: Cell) -> str:
    icons = "".join(f'<img src="{data_uri(svg)}" alt="{escape(words)}" title="{escape(words)}" width="26" '
                    f'height="26">' for svg, words in cell.icons)
    if cell.picture:
        icons += f'<img src="{data_uri(cell.picture[0])}" alt="{escape(cell.picture[1])}">'
    text = kept_together(cell.text)
    if cell.link:
        text = f'<a href="{escape(cell.link)}">{text}</a>'
    note = f'<span class="note">{escape(cell.note)}</span>' if cell.note else ""
    return icons + text + note


def _attributes(cell: Cell, classes: list[str]) -> str:
    found = [*classes, *([cell.tone] if cell.tone else []),
             *(["keep"] if cell.keep or ((cell.icons or cell.picture) and not cell.text) else [])]
    title = f' title="{escape(cell.help)}"' if cell.help else ""
    return (f' class="{" ".join(found)}"' if found else "") + title


Column = str | Cell
Rows = list[tuple[str | None, list[list[Cell]]]]


def _heading(column: Column) -> Cell:
    return column if isinstance(column, Cell) else Cell(column)


def table_html(columns: list[Column], groups: Rows, caption: str,
               header_groups: list[tuple[Column, int]] | None = None, matrix: bool = False, dense: bool = False) -> str:
    """``groups`` are (heading or None, rows); the first cell of a row names it (its row header).
    ``header_groups`` adds a row of headings above the columns, each spanning that many of them;
    a ``matrix`` (counts in a grid) has its cells centred; a ``dense`` table (a whole year of months)
    has smaller type, and its cells may wrap, so that it still fits the screen."""
    top = "".join(f'<th scope="colgroup" colspan="{span}">{_content(_heading(c))}</th>'
                  for c, span in header_groups or [])
    head = (f"<tr>{top}</tr>" if top else "") + "<tr>" + "".join(
        f'<th scope="col"{_attributes(_heading(c), ["name"] if n == 0 else [])}>{_content(_heading(c))}</th>'
        for n, c in enumerate(columns)) + "</tr>"
    bodies = []
    for heading, rows in groups:
        lines = [f'<tr><th scope="rowgroup" colspan="{len(columns)}">{escape(heading)}</th></tr>'] if heading else []
        for row in rows:
            first, *rest = row
            lines.append(f'<tr><th scope="row"{_attributes(first, ["name"])}>{_content(first)}</th>'
                         + "".join(f"<td{_attributes(cell, [])}>{_content(cell)}</td>" for cell in rest) + "</tr>")
        bodies.append("<tbody>" + "".join(lines) + "</tbody>")
    classes = " ".join(["pp-table", *(["pp-matrix"] if matrix else []), *(["pp-dense"] if dense else [])])
    return (f'<table class="{classes}"><caption>{escape(caption)}</caption><thead>{head}</thead>'
            f'{"".join(bodies)}</table>')


def html_table(columns: list[Column], groups: Rows, caption: str,
               header_groups: list[tuple[Column, int]] | None = None, matrix: bool = False, dense: bool = False) -> None:
    """The table drawn, and kept (as its text) for the view's downloads."""
    st.html(table_html(columns, groups, caption, header_groups, matrix, dense))
    keep_table(caption, table_frame(columns, groups, header_groups))


def table_frame(columns: list[Column], groups: Rows, header_groups: list[tuple[Column, int]] | None = None
                ) -> pd.DataFrame:
    """The table's text as a frame: a column per heading (under its group's heading, where the
    table has a row of them), and the group each row sits under, where rows are grouped."""
    names = [_heading(c).text or next((w for _, w in _heading(c).icons), "") for c in columns]
    if header_groups:
        spans = [_heading(g).text for g, span in header_groups for _ in range(span)]
        names = [f"{group}: {name}" if group else name for group, name in zip(spans, names)]
    rows = [[heading, *(cell.text or " · ".join(w for _, w in cell.icons) for cell in row)]
            for heading, lines in groups for row in lines]
    frame = pd.DataFrame(rows, columns=["Group", *names])
    return frame if any(heading for heading, _ in groups) else frame.drop(columns="Group")
