"""Meetings: the running order as slides, presenter mode in AppTest, and small-number suppression
on a slide of a meeting in public. The board pack is tested in test_pack.py."""

import base64
import html
import re
import shutil

import pytest

from components.html_table import Cell, table_html
from portfolio.config.loading import load_config
from portfolio.config.schema import SmallNumbers
from portfolio.figures.judgement import exceptions
from portfolio.figures.suppression import SUPPRESSION, hidden, mask
from portfolio.figures.views import table_shape
from portfolio.outputs.formatting import format_value
from portfolio.outputs.meetings import (COLUMNS_PER_SLIDE, EXCEPTIONS, EXCEPTIONS_PER_SLIDE, METRIC, PORTFOLIO,
                                        ROWS_PER_SLIDE, SUMMARY, TABLE, _split, organisation, running_order)
from tests.apptest import html_tables, no_errors, open_page, start
from tests.conftest import ROOT
from tests.sweep import SAMPLE

MEETING = SAMPLE.config.meetings["board-2026-11"]
COUNT = SAMPLE.config.metrics["sv_apprenticeship_completions"]  # a count of 1 to 3 a month at WCHC


def test_the_running_order_is_a_deck_of_slides_made_for_the_screen():
    steps = running_order(SAMPLE.config, SAMPLE.engine, MEETING)
    org = organisation(SAMPLE.config, MEETING)
    assert steps[0].kind == SUMMARY and steps[0].title == SAMPLE.config.settings.title
    # the exceptions run on from the summary, in order, each slide at most EXCEPTIONS_PER_SLIDE of them
    every = [s for p in SAMPLE.config.portfolios for s in SAMPLE.engine.portfolio_summaries(p.id, org, MEETING.period)]
    shown = [step for step in steps if step.kind == EXCEPTIONS]
    assert [step.rows for step in shown] == _split(len(exceptions(every)), EXCEPTIONS_PER_SLIDE)
    assert [step.heading for step in shown][0] == f"Exceptions, most serious first (1 of {len(shown)})"
    # a portfolio slide, then the deep dive of each of its focus metrics
    uec = next(n for n, step in enumerate(steps) if step.kind == PORTFOLIO and step.portfolio == "uec")
    focus = [m.id for m in SAMPLE.config.portfolio("uec").metrics if m.is_focus(MEETING.period)]
    assert [s.metric for s in steps[uec + 1:uec + 1 + len(focus)]] == focus
    assert steps[-1].kind == PORTFOLIO and steps[-1].portfolio == "social_value"
    # a table slide covers the whole table, rows and columns, in pieces a slide holds
    tables = [step for step in steps if step.kind == TABLE]
    view = next(v for v in SAMPLE.config.portfolio("elective").views if v.title == "Constitutional standards")
    rows, columns = table_shape(SAMPLE.engine, SAMPLE.tree, view, org, MEETING.period)
    assert {step.rows for step in tables} == set(_split(rows, ROWS_PER_SLIDE))
    assert {step.columns for step in tables} == set(_split(columns, COLUMNS_PER_SLIDE))
    assert len(tables) == len(_split(rows, ROWS_PER_SLIDE)) * len(_split(columns, COLUMNS_PER_SLIDE)) > 1
    assert steps[2].params(MEETING, 3, org) == {"present": "1", "meeting": "board-2026-11", "slide": "3",
                                                "period": "2026-10", "org": "E54000008"}


def test_a_table_is_shared_out_as_evenly_as_the_fewest_slides_allow():
    assert _split(11, 5) == [(0, 4), (4, 7), (7, 11)]  # not 5, 5 and 1
    assert _split(5, 5) == [(0, 5)] and _split(6, 5) == [(0, 3), (3, 6)]
    assert _split(0, 5) == [(0, 0)]  # an empty table still has its slide, which says so


@pytest.mark.parametrize("slide, message", [
    ("{show: table, portfolio: elective}", "a 'table' slide needs 'view'"),
    ("{show: portfolio, portfolio: uec, view: Scorecard}", "only a 'table' slide takes 'view'"),
    ("{show: table, portfolio: elective, view: Waiting-list shape}",
     "'Waiting-list shape' is not a standards or heat table of Elective care: choose one of Constitutional "
     "standards, Diagnostics by test, Cancer standards, Cancer by tumour site"),
])
def test_a_table_slide_names_a_standards_or_heat_table(tmp_path, slide, message):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "meetings" / "test.yaml").write_text(
        f"id: test\ntitle: Test\ndate: 2026-11-26\nperiod: 2026-10\nslides:\n  - {slide}\n")
    config = load_config(tmp_path / "config")
    assert "test" not in config.meetings
    [problem] = [p for p in config.problems if p.file == "meetings/test.yaml"]
    assert message in problem.message and problem.line == 6


def test_a_meeting_naming_an_unknown_metric_is_reported_and_left_out(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    path = tmp_path / "config" / "meetings" / "board-2026-11.yaml"
    path.write_text(path.read_text().replace("metric: fin_surplus_deficit", "metric: fin_nope"))
    config = load_config(tmp_path / "config")
    assert config.meetings == {} and len(config.portfolios) == 4
    [problem] = config.problems
    assert str(problem).startswith("meetings/board-2026-11.yaml:20 (slides[7].metric)")
    assert "'fin_nope' is not a metric" in problem.message


def test_small_counts_and_their_complement_are_hidden():
    rule = SmallNumbers()
    token = SUPPRESSION.set(rule)
    try:
        assert format_value(COUNT, 3) == "*" and format_value(COUNT, 8) == "8" and format_value(COUNT, 0) == "0"
        percent = SAMPLE.config.metrics["sv_local_spend_pct"]
        assert format_value(percent, 5.0) == "5.0%"  # only counts are hidden
    finally:
        SUPPRESSION.reset(token)
    assert format_value(COUNT, 3) == "3"  # outside a public meeting nothing is hidden
    # one small member of a total: the next smallest goes too, so it cannot be worked out
    assert hidden(COUNT, [40, 3, 12, 25], rule) == {1, 2}
    assert hidden(COUNT, [40, 3, 5, 25], rule) == {1, 2}
    assert mask(COUNT, [40, 3, 12, 25], rule) == [40, None, None, 25]
    assert hidden(COUNT, [40, 30], rule) == set()


def _public_meeting(tmp_path, slides):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "meetings" / "test.yaml").write_text(
        "id: test\ntitle: Test meeting in public\ndate: 2026-11-26\nperiod: 2026-10\norganisation: RY7\n"
        f"public: true\nslides:\n{slides}")
    return tmp_path / "config"


def _slide(at) -> str:
    """The slide's own HTML (the presenter bar is Streamlit's)."""
    [slide] = [e.proto.body for e in at.get("html") if 'class="pp-slide' in e.proto.body]
    return slide


def test_suppression_while_presenting_a_public_meeting(tmp_path, monkeypatch):
    config = _public_meeting(tmp_path, "  - {show: deep_dive, metric: sv_apprenticeship_completions}\n")
    at = _open_slide(monkeypatch, config, meeting="test")
    no_errors(at)
    value = SAMPLE.engine.summary("sv_apprenticeship_completions", "RY7", "2026-10").value
    assert 1 <= value <= 7
    slide = _slide(at)
    assert '<p class="pp-slide-value">*<' in slide and "counts of 1–7 shown as *" in at.markdown[0].value
    # the SPC chart leaves the small counts out: each point it draws says its value
    picture = re.search(r'src="data:image/svg\+xml;base64,([^"]+)" alt="SPC chart', slide).group(1)
    drawn = [int(v) for v in re.findall(r'aria-label="month: [A-Z][a-z]{2}-\d{2}; value: (\d+);',
                                        base64.b64decode(picture).decode())]
    assert drawn and not any(1 <= v <= 7 for v in drawn)


def _open_slide(monkeypatch, config=ROOT / "config", slide="1", meeting="board-2026-11", **extra):
    """The dashboard as a link to a meeting's slide opens it."""
    at = start(monkeypatch, config, ROOT / "sample_data")
    for key, value in {"present": "1", "meeting": meeting, "slide": slide, **extra}.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def presenting(monkeypatch):
    return lambda **query: _open_slide(monkeypatch, **query)


def test_presenter_mode_freezes_the_meetings_period_and_hides_the_filters(presenting):
    at = presenting(period="2024-01", org="RBL")  # a link's own period and organisation give way
    no_errors(at)
    assert at.session_state["period"] == "2026-10" and at.session_state["org"] == "E54000008"
    assert not at.selectbox and not at.toggle and not at.tabs  # no widget on a slide but the bar's buttons
    assert at.markdown[0].value.startswith("**Slide 1 of ")
    assert [b.label for b in at.button] == ["Previous", "Next", "First", "Last", "Exit"]
    assert at.button[0].disabled and at.button[2].disabled and not at.button[1].disabled
    slide = _slide(at)
    assert '<p class="pp-slide-footer">2026/27 M7 (Oct-26) · NHS Cheshire and Merseyside · Synthetic sample data' in slide
    assert html_tables(at)[0]["caption"].startswith("Variation and assurance")


def test_each_kind_of_slide_shows_its_figures(presenting):
    steps = running_order(SAMPLE.config, SAMPLE.engine, MEETING)
    number = {kind: next(n for n, step in enumerate(steps, start=1) if step.kind == kind)
              for kind in (EXCEPTIONS, PORTFOLIO, METRIC, TABLE)}
    org = SAMPLE.tree.root
    exceptions_slide = html_tables(presenting(slide=str(number[EXCEPTIONS])))[0]
    first, last = steps[number[EXCEPTIONS] - 1].rows
    assert len(exceptions_slide["rows"]) == last - first
    portfolio_slide = _slide(presenting(slide=str(number[PORTFOLIO])))
    for metric in SAMPLE.config.portfolio("uec").headline_metrics:  # the headlines, as `values` gives them
        shown = SAMPLE.engine.summary(metric.id, org, MEETING.period)
        target = shown.target.value if shown.target else None
        assert f"<h2>{html.escape(metric.label)}</h2>" in portfolio_slide
        assert f'<p class="pp-slide-value">{html.escape(format_value(metric, shown.value, apart_from=target))}<' \
            in portfolio_slide
    assert "<h2>What the data shows</h2>" in portfolio_slide and "<h2>What is being done</h2>" in portfolio_slide
    metric = SAMPLE.config.metrics[steps[number[METRIC] - 1].metric]
    metric_slide = _slide(presenting(slide=str(number[METRIC])))
    assert f"<h1>{html.escape(metric.label)}</h1>" in metric_slide and 'alt="SPC chart of' in metric_slide
    assert "Will consistently" in metric_slide or "Will hit and miss" in metric_slide  # the icons' words
    table = html_tables(presenting(slide=str(number[TABLE])))[0]
    step = steps[number[TABLE] - 1]
    assert len(table["rows"]) == step.rows[1] - step.rows[0]
    assert len(table["columns"]) == 3 + step.columns[1] - step.columns[0]  # standard, target, the system, providers


def test_a_slide_is_moved_by_its_buttons_and_its_link(presenting):
    at = presenting(slide="2")
    at.button(key="slide-next").click().run()
    assert at.query_params["slide"] == "3" and at.markdown[0].value.startswith("**Slide 3 of")
    at.button(key="slide-last").click().run()
    total = len(running_order(SAMPLE.config, SAMPLE.engine, MEETING))
    assert at.markdown[0].value.startswith(f"**Slide {total} of {total}**") and at.button(key="slide-next").disabled
    at.button(key="presenter-exit").click().run()
    assert "present" not in at.query_params and at.selectbox  # the filters are back


def test_presenter_mode_without_a_known_meeting_presents_the_view(presenting):
    at = presenting(meeting="nope", period="2025-06")
    assert "no meeting `nope`" in at.warning[0].value
    assert at.session_state["period"] == "2025-06" and not at.exception
    clamped = presenting(slide="999")  # a slide past the end shows the last, and says so in the bar
    assert re.match(r"\*\*Slide (\d+) of \1\*\* · the meeting has no slide `999`", clamped.markdown[0].value)
    assert not clamped.warning  # nothing above the slide, which must fit the screen
    assert "slide `two`" in presenting(slide="two").markdown[0].value
    assert "slide `²`" in presenting(slide="²").markdown[0].value  # a digit to Python, not a number
    assert "slide `" + "9" * 8 + "…`" in presenting(slide="9" * 5000).markdown[0].value


def test_no_drilling_while_presenting_a_view_unless_the_presenter_allows_it(monkeypatch):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    at.query_params["present"] = "1"
    at = open_page(at.run(), "uec").run()
    at.session_state["view"] = "Scorecard"
    at.run()
    no_errors(at)
    assert not [s for s in at.selectbox if s.label == "Drill into"]
    at.toggle(key="allow_drill").set_value(True).run()
    no_errors(at)
    assert [s for s in at.selectbox if s.label == "Drill into"]


def test_the_meetings_page_lists_the_running_order_and_builds_the_pack(monkeypatch):
    at = open_page(start(monkeypatch, ROOT / "config", ROOT / "sample_data").run(), "meetings").run()
    no_errors(at)
    steps = running_order(SAMPLE.config, SAMPLE.engine, MEETING)
    assert at.subheader[0].value == MEETING.title
    assert f"{len(steps)} slides" in at.caption[0].value
    assert list(at.table[0].value["Shows"]) == [step.heading for step in steps]  # the running order, in order
    at.toggle(key="pack-board-2026-11").set_value(True).run()
    no_errors(at)
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels[-2:] == ["Board pack (PDF)", "Every table (Excel)"]  # after the view's own downloads


def test_a_meeting_with_no_slides_this_month_says_so(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "meetings" / "test.yaml").write_text(  # an ambulance trust: no elective focus metric
        "id: test\ntitle: Test\ndate: 2026-11-26\nperiod: 2026-10\norganisation: RX7\n"
        "slides:\n  - {show: focus, portfolio: elective}\n")
    at = _open_slide(monkeypatch, tmp_path / "config", meeting="test")
    no_errors(at)
    assert "This meeting has no slides: North West Ambulance Service NHS Trust reports none" in at.info[0].value
    assert [b.label for b in at.button] == ["Exit"]


def test_a_table_cell_keeps_a_month_and_a_status_on_one_line():
    html = table_html(["Change"], [(None, [[Cell("+274, worse than Sep-26")], [Cell("✘ Not met <b>")]])], caption="c")
    assert '<span class="pp-keep">Sep-26</span>' in html
    assert '<span class="pp-keep">✘ Not met</span> &lt;b&gt;' in html
