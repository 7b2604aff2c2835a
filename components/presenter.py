"""Presenter mode (``?present=1``): the view frozen, larger type, no filters or navigation; for a
meeting set up in the config (``&meeting=ID&slide=N``), its slides one at a time, with Previous /
Next (the ← / → keys), Home / End for the first and last, Exit and the slide counter only."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import streamlit as st

from components.cache import cached, meeting_steps
from components.exported import place_downloads
from components.filters import quoted
from components.slides import slide_html
from components.state import ALLOW_DRILL_KEY, ORG_KEY, PERIOD_KEY, PRESENTING_KEY
from portfolio.config.months import Month
from portfolio.config.schema import Meeting
from portfolio.figures.suppression import SUPPRESSION
from portfolio.figures.workspace import Workspace
from portfolio.outputs.meetings import organisation

PRESENT_PARAMS = ("present", "meeting", "slide")
LOG = logging.getLogger(__name__)


def asked_to_present() -> bool:
    return st.query_params.get("present") == "1"


def start_presenting(ws: Workspace) -> bool:
    """Freeze the period and organisation (the meeting's, else the link's) and hide the chrome. For
    a meeting set up in the config, draw its slide with the presenter bar and return True: the page
    itself is then not drawn. Otherwise draw the bar for presenting this view alone."""
    st.session_state[PRESENTING_KEY] = True
    meeting = ws.config.meetings.get(st.query_params.get("meeting", ""))
    if "meeting" in st.query_params and meeting is None:
        st.warning(f"There is no meeting {quoted(st.query_params['meeting'])}; presenting this view on its own.",
                   icon=":material/link_off:")
    if meeting is not None:
        _freeze(ws, meeting.period, organisation(ws.config, meeting))
        SUPPRESSION.set(ws.config.settings.small_numbers if meeting.public else None)
        _slide(ws, meeting)
        return True
    _freeze(ws, st.query_params.get(PERIOD_KEY), st.query_params.get(ORG_KEY))
    SUPPRESSION.set(None)
    _view_bar()
    return False


def stop_presenting() -> None:
    st.session_state[PRESENTING_KEY] = False
    SUPPRESSION.set(None)


def _freeze(ws: Workspace, period: str | None, org: str | None) -> None:
    """The period and organisation shown, frozen; a link's that the dashboard does not have is said."""
    for asked, known, words in ((period, period in ws.engine.periods, "period"), (org, org in ws.tree, "organisation")):
        if asked is not None and not known:
            st.warning(f"The link asks for the {words} {quoted(asked)}, which is not in this dashboard; presenting "
                       f"the latest instead." if words == "period" else
                       f"The link asks for the {words} {quoted(asked)}, which is not in this dashboard; presenting the "
                       "whole system instead.", icon=":material/link_off:")
    st.session_state[PERIOD_KEY] = period if period in ws.engine.periods else ws.engine.default_period()
    st.session_state[ORG_KEY] = org if org in ws.tree else ws.tree.root


@cached(max_entries=64)
def _slide_html(ws: Workspace, meeting_id: str, number: int) -> str:
    """A slide's HTML: drawn once, then each visit to it is instant."""
    meeting = ws.config.meetings[meeting_id]
    steps = meeting_steps(ws, meeting_id)
    token = SUPPRESSION.set(ws.config.settings.small_numbers if meeting.public else None)
    try:
        return slide_html(ws, meeting, organisation(ws.config, meeting), steps[number - 1], number, len(steps))
    finally:
        SUPPRESSION.reset(token)


def _slide(ws: Workspace, meeting: Meeting) -> None:
    """The presenter bar, then the slide the link asks for (the first, said so, if it has no such slide)."""
    total = len(meeting_steps(ws, meeting.id))
    if not total:  # only focus slides, none of whose metrics the organisation reports this month
        with st.container(horizontal=True, vertical_alignment="center", key="presenter-bar"):
            _bar_words(f"**{meeting.title}**")
            _exit()
        st.info(f"This meeting has no slides: {ws.tree[organisation(ws.config, meeting)].name} reports none of its "
                f"focus metrics in {Month(meeting.period).label}.", icon=":material/info:")
        return
    asked = st.query_params.get("slide", "1")
    # one to four ASCII digits: "²" is a digit to str.isdigit, and int() refuses 5,000 digits
    number = min(max(int(asked), 1), total) if re.fullmatch(r"[0-9]{1,4}", asked) else 1
    with st.container(horizontal=True, vertical_alignment="center", key="presenter-bar"):
        # the buttons first, so Next never moves as the slide number widens; Streamlit shows the key
        # each answers to on it, and no help text, so no tooltip stays over the slide after a click
        for label, target, shortcut in (("Previous", number - 1, "left"), ("Next", number + 1, "right"),
                                        ("First", 1, "home"), ("Last", total, "end")):
            if st.button(label, shortcut=shortcut, disabled=not 1 <= target <= total or target == number,
                         key=f"slide-{label.lower()}"):
                st.query_params["slide"] = str(target)
                st.rerun()
        rule = ws.config.settings.small_numbers
        hidden = f" · counts of {rule.low}–{rule.high} shown as {rule.symbol}" if meeting.public else ""
        # a link to a slide the meeting does not have says so here, in place of the meeting's title (the
        # bar stays one line, so the slide below still fits the screen)
        said = f"the meeting has no slide {quoted(asked, 8)}" if str(number) != asked else meeting.title
        _bar_words(f"**Slide {number} of {total}** · {said}{hidden}")
        _exit()
    try:
        st.html(_slide_html(ws, meeting.id, number))
    except Exception:  # one slide that cannot be drawn says so, and the meeting goes on to the next
        LOG.exception("slide %s of meeting %s could not be drawn", number, meeting.id)
        st.error("This slide could not be drawn. The other slides are not affected; the server's log says why.",
                 icon=":material/error:")


def _bar_words(words: str) -> None:
    """The bar's words, in the room the buttons leave: on one line, cut short with … if need be
    (``components.styles``), so the slide below still fits the screen."""
    with st.container(key="presenter-words"):
        st.markdown(words)


def _view_bar() -> None:
    with st.container(horizontal=True, vertical_alignment="center", key="presenter-bar"):
        st.toggle("Allow drilling", key=ALLOW_DRILL_KEY,
                  help="Off: clicks on tables and charts do nothing, so a stray click cannot move away")
        _exit()


def _exit() -> None:
    if st.button("Exit", icon=":material/close:", key="presenter-exit"):
        for name in PRESENT_PARAMS:
            st.query_params.pop(name, None)
        st.rerun()


def share_and_present() -> None:
    """A link that reproduces this view (with a copy button), presenter mode for it, and the place
    of its downloads (filled once the page is drawn)."""
    with st.container(horizontal=True, horizontal_alignment="right"):
        place_downloads()
        with st.popover("Share", icon=":material/link:", help="A link to this view: page, period, organisation, "
                                                                  "tab, metric and drill"):
            st.markdown("Anyone with access to the dashboard sees this view from this link (copy it with the "
                       "button at its right).")
            query = urlencode(st.query_params.to_dict())
            st.code((st.context.url or "") + (f"?{query}" if query else ""), language=None, wrap_lines=True)
        if st.button("Present", icon=":material/slideshow:", key="present-start",
                     help="Presenter mode for this view: larger type, the period and organisation frozen, "
                          "no filters. Board meetings has each meeting's running order."):
            st.query_params["present"] = "1"
            st.rerun()

