"""What a view shows, kept for "Download this view": every table and chart a page draws goes
through here, so the download offers exactly what is on the screen: the view as a PDF page (its
title, context line, charts and tables), each table as a CSV, and every table in one workbook.

The figures are kept as drawn (formatted, with small counts already hidden in a meeting in
public); the CSV and the workbook neutralise text a spreadsheet would run as a formula, as the
board pack does. Nothing is built until the user asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from portfolio.outputs.exports import safe_csv
from portfolio.outputs.pack import view_pdf, workbook

SHOWN_KEY = "_shown"  # this run's view: its title, context and what it drew


@dataclass
class _View:
    title: str = ""
    context: str = ""
    items: list[tuple[str, pd.DataFrame | dict]] = field(default_factory=list)  # tables and chart specs, in order
    place: object = None  # where the download menu goes (the filter band), when there is one

    @property
    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [(title, item) for title, item in self.items if isinstance(item, pd.DataFrame)]


def new_view() -> None:
    """Called by app.py at the start of every run: nothing is shown yet."""
    st.session_state[SHOWN_KEY] = _View()


def _view() -> _View:
    if SHOWN_KEY not in st.session_state:
        new_view()
    return st.session_state[SHOWN_KEY]


def titled(title: str, context: str) -> None:
    """The view's title and context line, for its PDF."""
    view = _view()
    if not view.title:
        view.title, view.context = title, context


def titled_part(part: str) -> None:
    """The part of the page shown (a portfolio's tab), after the page's title."""
    _view().title += f": {part}"


def keep_table(title: str, frame: pd.DataFrame) -> None:
    frame = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    _view().items.append((title, frame))


def table(data, title: str, into=st, **kwargs) -> None:
    """``st.table`` (of a frame or a Styler) drawn ``into`` a container, kept under ``title``."""
    into.table(data, **kwargs)
    keep_table(title, data.data if hasattr(data, "data") else data)


def dataframe(data: pd.DataFrame, title: str, **kwargs):
    """``st.dataframe``, kept under ``title``; returns what ``st.dataframe`` returns."""
    shown = st.dataframe(data, **kwargs)
    keep_table(title, data)
    return shown


def chart(drawn: alt.TopLevelMixin, **kwargs):
    """``st.altair_chart``, kept for the PDF (under its alt text); returns what it returns (a selection)."""
    shown = st.altair_chart(drawn, **kwargs)
    _view().items.append((kwargs.get("alt", ""), drawn.to_dict()))
    return shown


def place_downloads() -> None:
    """Leave the place for the download menu here; ``offer_downloads`` fills it after the page."""
    _view().place = st.container(width="content")


def _file_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "view"


def offer_downloads(author: str) -> None:
    """The menu of downloads for what this run's page showed, in the place left for it; ``author``
    (the dashboard's title) goes in the PDF's properties."""
    view = _view()
    if view.place is None or not view.items:
        return
    name = _file_name(view.title)
    items, title, context = list(view.items), view.title, view.context
    with view.place, st.popover("Download", icon=":material/download:",
                                            help="This view as a PDF page, and each of its tables as a CSV file"):
        st.download_button("This view (PDF)", lambda: view_pdf(title, context, items, author),
                           file_name=f"{name}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                           on_click="ignore", key="download-view-pdf")
        tables = view.tables
        if tables:  # a sheet each, numbered in the order shown (two tables may share a title)
            sheets = {f"{number} {table_title}": frame for number, (table_title, frame) in enumerate(tables, start=1)}
            st.download_button("Every table (Excel)", lambda: workbook(sheets), file_name=f"{name}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table:", on_click="ignore", key="download-view-xlsx")
        for number, (table_title, frame) in enumerate(tables, start=1):
            st.download_button(f"{table_title} (CSV)", lambda frame=frame: safe_csv(frame),
                               file_name=f"{_file_name(table_title)}.csv",
                               mime="text/csv", icon=":material/download:", on_click="ignore",
                               key=f"download-table-{number}")
