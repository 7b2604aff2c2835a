"""Shareable links: every page reproduces its view from the URL (page, period, organisation, tab,
metric, drill and presenter mode), and a link with values the dashboard does not know shows a clear
message and the nearest valid view, never a traceback."""

from html import escape

import pytest

from portfolio.outputs.links import ABOUT, ATTENDANCES, DEEP_DIVE, MEETINGS, OVERVIEW, href, portfolio_path
from portfolio.outputs.meetings import running_order
from tests.apptest import navigation, open_page, start
from tests.conftest import ROOT
from tests.sweep import SAMPLE

PORTFOLIO_TABS = {p.id: next(iter(dict.fromkeys(v.tab_title for v in p.views)), "Charts") for p in SAMPLE.config.portfolios}
PAGES = ["", *PORTFOLIO_TABS, "about", "meetings", "deep-dive", "attendances"]


def _visit(monkeypatch, page, **params):
    """The page opened by a link carrying ``params``. AppTest starts on the default page, so the
    link's first run is on the overview (whose warnings are kept on ``at.arrival``), then on the page."""
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    arrival = [w.value for w in at.warning]
    if page:
        at = open_page(at, page).run()
    at.arrival = arrival
    return at


def _extra(page):
    if page in PORTFOLIO_TABS:
        return {"view": PORTFOLIO_TABS[page]}
    if page == "deep-dive":
        return {"metric": "rtt_52w", "part": "treatment_function:Ophthalmology"}
    return {}


@pytest.mark.parametrize("page", PAGES, ids=[p or "overview" for p in PAGES])
def test_a_link_reproduces_its_view(monkeypatch, page):
    at = _visit(monkeypatch, page, period="2025-06", org="REM", **_extra(page))
    assert not at.exception and not at.warning and not at.arrival, [w.value for w in at.warning]
    assert at.session_state["period"] == "2025-06" and at.session_state["org"] == "REM"
    assert at.query_params["period"] == "2025-06" and at.query_params["org"] == "REM"  # written back for sharing
    for key, value in _extra(page).items():
        assert at.query_params[key] == value
    if page == "deep-dive":
        assert at.title[0].value == "RTT waits of 52 weeks or more: Ophthalmology"


@pytest.mark.parametrize("page", PAGES, ids=[p or "overview" for p in PAGES])
def test_a_link_with_unknown_values_shows_the_nearest_valid_view(monkeypatch, page):
    at = _visit(monkeypatch, page, period="1999-01", org="NOPE", metric="nope", part="weeks:none", view="Nope")
    assert not at.exception, [e.value for e in at.exception]
    assert "the period `1999-01`" in " ".join(at.arrival) and "the organisation `NOPE`" in " ".join(at.arrival)
    warnings = " ".join(w.value for w in at.warning)
    assert at.session_state["period"] == SAMPLE.engine.default_period() and at.session_state["org"] == SAMPLE.tree.root
    if page == "deep-dive":
        assert "the metric `nope`" in warnings
        assert at.title[0].value == next(iter(SAMPLE.config.metrics.values())).label


def test_a_presenter_link_reproduces_the_slide(monkeypatch):
    meeting = SAMPLE.config.meetings["board-2026-11"]
    steps = running_order(SAMPLE.config, SAMPLE.engine, meeting)
    number, step = next((n, s) for n, s in enumerate(steps, start=1) if s.metric)
    # whatever page the link names, the meeting and the slide's number decide what is shown
    for page in ("", "deep-dive", "uec"):
        at = _visit(monkeypatch, page, **step.params(meeting, number, SAMPLE.tree.root))
        assert not at.exception
        assert at.markdown[0].value.startswith(f"**Slide {number} of {len(steps)}**")
        assert f"<h1>{escape(step.title)}</h1>" in " ".join(e.proto.body for e in at.get("html"))


def test_a_crafted_link_can_neither_format_the_dashboards_words_nor_link_out(monkeypatch):
    at = _visit(monkeypatch, "", org="[Session expired: sign in](https://evil.example) ![](https://evil.example/p.png)",
                period=":red[**FIGURES WITHDRAWN**]" + "x" * 5000)
    said = " ".join(at.arrival)
    # the link's text is shown as code (never Markdown: no link, no picture, no colour), and shortened
    assert "`[Session expired: sign in](https://evil.example) ![](https:/…`" in said
    assert "`:red[**FIGURES WITHDRAWN**]" + "x" * 33 + "…`" in said
    assert len(said) < 600


def test_a_relative_link_names_its_page_by_its_url_path():
    assert href(DEEP_DIVE, {"metric": "rtt_52w", "part": "treatment_function:Trauma & Orthopaedics"}) == \
        "deep-dive?metric=rtt_52w&part=treatment_function%3ATrauma+%26+Orthopaedics"
    assert href(OVERVIEW, {"period": "2025-06"}) == "./?period=2025-06"  # the overview is the root
    assert href(portfolio_path("uec"), {}) == "uec?"


def test_every_page_is_registered_at_its_one_url_path(monkeypatch):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
    assert set(navigation(at)) == {OVERVIEW, ATTENDANCES, ABOUT, MEETINGS, DEEP_DIVE,
                                   *(portfolio_path(p.id) for p in SAMPLE.config.portfolios)}
