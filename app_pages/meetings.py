"""Board meetings: each meeting's running order (one file each in the config's meetings folder), a
link that starts presenting it, and its board pack as a PDF and a workbook of every table."""

import pandas as pd
import streamlit as st

from components import exported
from components.cache import cached, meeting_steps, workspace
from components.routes import page
from portfolio.config.months import Month
from portfolio.figures.workspace import Workspace
from portfolio.outputs.formatting import data_words
from portfolio.outputs.links import OVERVIEW
from portfolio.outputs.meetings import organisation
from portfolio.outputs.pack import board_pack

ws = workspace()
st.title("Board meetings", anchor=False)
exported.titled("Board meetings", data_words(ws.data_as_at(), ws.synthetic))


@cached(max_entries=8, spinner="Preparing the board pack…")
def _pack(ws: Workspace, meeting_id: str) -> tuple[bytes, bytes]:
    pack = board_pack(ws, ws.config.meetings[meeting_id])
    return pack.pdf, pack.xlsx


if not ws.config.meetings:
    st.caption("No board meetings are set up yet.")
for meeting in sorted(ws.config.meetings.values(), key=lambda m: m.date, reverse=True):
    org = organisation(ws.config, meeting)
    steps = meeting_steps(ws, meeting.id)
    with st.container(border=True):
        about, actions = st.columns([3, 1], vertical_alignment="center")
        with about, st.container(gap=None):
            st.subheader(meeting.title, anchor=False)
            st.caption(" · ".join(part for part in (
                f"{meeting.date:%d %B %Y}", f"Period: {Month(meeting.period).label}", ws.tree[org].name,
                data_words(ws.data_as_at(), ws.synthetic),
                "in public: small numbers hidden" if meeting.public else "in private", f"{len(steps)} slides") if part))
        with actions:
            st.page_link(page(OVERVIEW), label="Present this meeting",
                         icon=":material/slideshow:", query_params=steps[0].params(meeting, 1, org))
            pack = st.toggle("Prepare the board pack", key=f"pack-{meeting.id}",
                             help="Builds the PDF and the workbook on the server: a few seconds")
        exported.table(pd.DataFrame({"Slide": range(1, len(steps) + 1), "Shows": [step.heading for step in steps]}),
                       f"{meeting.title}: running order", hide_index=True)
        if pack:
            pdf, xlsx = _pack(ws, meeting.id)
            left, right = st.columns(2)
            left.download_button("Board pack (PDF)", pdf, file_name=f"{meeting.id}.pdf", mime="application/pdf",
                                 icon=":material/picture_as_pdf:", on_click="ignore")
            right.download_button("Every table (Excel)", xlsx, file_name=f"{meeting.id}.xlsx",
                                  mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                  icon=":material/table:", on_click="ignore")
st.caption("Presenting a meeting freezes its period and organisation, shows one slide at a time (Next and Previous, "
           "or the → and ← keys), and, for a meeting in public, hides counts small enough to identify people.")
