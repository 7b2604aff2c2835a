"""Presenter mode (``?present=1``): the view frozen for a meeting, larger type, no filters or
navigation, and, for a meeting set up in the config, its running order with Previous / Next
buttons and the ← / → keys."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from components.filters import quoted
from components.state import ALLOW_DRILL_KEY, ORG_KEY, PERIOD_KEY, PRESENTING_KEY
from portfolio.config import Meeting
from portfolio.formatting import SUPPRESSION
from portfolio.meetings import Step, organisation, running_order
from portfolio.workspace import Workspace

PRESENT_PARAMS = ("present", "meeting", "slide")
SLIDE_WARNING_KEY = "_slide_warning"  # a link's unknown slide, said on the slide shown instead
def asked_to_present() -> bool:
    return st.query_params.get("present") == "1"


def start_presenting(ws: Workspace, pages: dict, current: str) -> None:
    """Freeze the period and organisation (the meeting's, else the link's), hide the chrome and
    draw the presenter bar. ``pages`` maps each page's URL path to its st.Page; ``current`` is the
    URL path of the page being shown."""
    st.session_state[PRESENTING_KEY] = True
    meeting = ws.config.meetings.get(st.query_params.get("meeting", ""))
    if "meeting" in st.query_params and meeting is None:
        st.warning(f"There is no meeting {quoted(st.query_params['meeting'])}; presenting this view on its own.",
                   icon=":material/link_off:")
    if meeting is not None:
        _freeze(ws, meeting.period, organisation(ws.config, meeting))
        SUPPRESSION.set(ws.config.settings.small_numbers if meeting.public else None)
        _running_order(ws, meeting, pages, current)
    else:
        _freeze(ws, st.query_params.get(PERIOD_KEY), st.query_params.get(ORG_KEY))
        SUPPRESSION.set(None)
        _bar(None, pages)


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


def _running_order(ws: Workspace, meeting: Meeting, pages: dict, current: str) -> None:
    steps = running_order(ws.config, ws.engine, meeting)
    asked = st.query_params.get("slide", "1")
    # ASCII digits only, and not too many of them: "²" is a digit to str.isdigit, and int() refuses 5,000 digits
    number = min(max(int(asked), 1), len(steps)) if re.fullmatch(r"-?[0-9]{1,6}", asked) else 1
    if str(number) != asked:
        st.session_state[SLIDE_WARNING_KEY] = f"{meeting.title} has no slide {quoted(asked)}; showing slide " \
                                              f"{number} of {len(steps)}."
    org = organisation(ws.config, meeting)
    step = steps[number - 1]
    # the tab is not compared: the first tab is left out of the URL
    elsewhere = current != step.page or (step.metric and st.query_params.get("metric") != step.metric)
    if elsewhere and not st.session_state.get(ALLOW_DRILL_KEY):  # a link to a slide shows that slide
        st.switch_page(pages[step.page], query_params=step.params(meeting, number, org))  # the warning waits for it
    if SLIDE_WARNING_KEY in st.session_state:
        st.warning(st.session_state.pop(SLIDE_WARNING_KEY), icon=":material/link_off:")
    _bar((meeting, steps, number, org), pages)


def _bar(order: tuple[Meeting, list[Step], int, str] | None, pages: dict) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key="presenter-bar"):
        if order is not None:
            meeting, steps, number, org = order
            go = lambda n: st.switch_page(pages[steps[n - 1].page], query_params=steps[n - 1].params(meeting, n, org))
            # the two buttons side by side, first, so Next never moves as the slide number widens; the
            # key each answers to is shown on it by Streamlit, so no arrow icon besides
            if st.button("Previous", shortcut="left", disabled=number == 1, key="slide-previous",
                         help="Previous slide (← key)"):
                go(number - 1)
            if st.button("Next", shortcut="right", disabled=number == len(steps), key="slide-next",
                         help="Next slide (→ key)"):
                go(number + 1)
            st.markdown(f"**Slide {number} of {len(steps)}** · {meeting.title}")
        st.toggle("Allow drilling", key=ALLOW_DRILL_KEY,
                  help="Off: clicks on tables and charts do nothing, so a stray click cannot move away")
        if st.button("Exit", icon=":material/close:", key="presenter-exit", help="Leave presenter mode"):
            for name in PRESENT_PARAMS:
                st.query_params.pop(name, None)
            st.rerun()


def share_and_present() -> None:
    """A link that reproduces this view (with a copy button), and presenter mode for it."""
    with st.container(horizontal=True, horizontal_alignment="right"):
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

