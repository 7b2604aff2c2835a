"""What every view says about its data: period, organisation, data-as-at, synthetic or not, and
warnings when an extract is out of date or a file could not be loaded."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import exported
from portfolio.figures.workspace import Workspace
from portfolio.outputs.formatting import context_line


def title_block(ws: Workspace, title: str, period: str, org: str, extracts: set[str] | None = None,
                reported_by: str | None = None) -> None:
    context = context_line(ws, period, org, extracts, reported_by)
    exported.titled(title, context)
    with st.container(gap="xsmall"):  # the context line sits right under the title
        st.title(title, anchor=False)
        st.caption(context,
                   help=f"Every figure here is {ws.tree[reported_by].name}'s: no other organisation reports them."
                   if reported_by else None)


def header_columns() -> tuple:
    """The title's place and, at its right, the place of the page's own control (a drill-down, the
    metric), so the control sits in the title band instead of pushing the figures down."""
    return st.columns([4, 1], vertical_alignment="bottom")


def page_header(ws: Workspace, title: str, period: str, org: str, extracts: set[str] | None = None,
                aside: Callable[[], None] | None = None, reported_by: str | None = None) -> None:
    """The title and its context line in one compact band, with ``aside`` at its right."""
    left, right = header_columns() if aside else (st.container(), None)
    with left:
        title_block(ws, title, period, org, extracts, reported_by)
    if right is not None:
        with right:
            aside()


def data_warnings(ws: Workspace) -> None:
    """Shown above every page: stale extracts and files that could not be loaded. The file names
    and what to fix are on *About the data*."""
    for report in ws.stale_extracts():
        st.warning(
            f"**{report.info.title}** is out of date: data as at {report.info.data_as_at:%d %b %Y}, "
            f"expected every {report.info.refresh_days} days.",
            icon=":material/schedule:",
        )
    unread = [r for r in ws.extracts if not r.rows_loaded and any(p.severity == "error" for p in r.problems)]
    if unread:  # a missing file, or a warehouse that cannot be reached: its figures would look like "no data"
        names = [f"**{r.info.title}**" if r.info else "An extract" for r in unread]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        st.error(f"{listed} could not be read, so {'its' if len(names) == 1 else 'their'} figures are not shown. "
                 "*About the data* says why.", icon=":material/error:")
    if ws.config.disabled:
        count = len(ws.config.disabled)
        st.error(f"{count} portfolio{'s' if count > 1 else ''} could not be loaded and {'are' if count > 1 else 'is'} "
                 "not shown, nor are the slides or figures that rely on it. *About the data* names the file and what to fix.",
                 icon=":material/error:")
    if ws.config.organisations is None:
        st.error("The list of organisations could not be loaded. *About the data* says what to fix.",
                 icon=":material/error:")
