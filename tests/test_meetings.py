"""Meetings: the running order, presenter mode in AppTest, small-number suppression in views and
exports, and the board pack (PDF and workbook)."""

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from components.board_pack import _workbook, board_pack
from portfolio.config import SmallNumbers, load_config
from portfolio.formatting import SUPPRESSION, format_value
from portfolio.judgement import ESCALATIONS
from portfolio.meetings import running_order
from portfolio.suppression import hidden, mask
from portfolio.workspace import load_workspace
from tests.apptest import chart_data, html_tables, metrics, no_errors, open_page, start, table_frame
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import NOT_FOR_A_BOARD, ROOT
from tests.sweep import SAMPLE

MEETING = SAMPLE.config.meetings["board-2026-11"]
COUNT = SAMPLE.config.metrics["sv_apprenticeship_completions"]  # a count of 1 to 3 a month at WCHC


def test_the_running_order_expands_each_portfolios_focus_metrics():
    steps = running_order(SAMPLE.config, SAMPLE.engine, MEETING)
    focus = [m.id for m in SAMPLE.config.portfolio("uec").metrics if m.is_focus(MEETING.period)]
    assert [s.metric for s in steps[2:2 + len(focus)]] == focus
    assert steps[0].page == "" and steps[1].page == "uec" and steps[-1].page == "social_value"
    assert steps[2].params(MEETING, 3, "E54000008") == {
        "present": "1", "meeting": "board-2026-11", "slide": "3", "period": "2026-10", "org": "E54000008",
        "metric": focus[0]}


def test_a_meeting_naming_an_unknown_metric_is_reported_and_left_out(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    path = tmp_path / "config" / "meetings" / "board-2026-11.yaml"
    path.write_text(path.read_text().replace("metric: fin_surplus_deficit", "metric: fin_nope"))
    config = load_config(tmp_path / "config")
    assert config.meetings == {} and len(config.portfolios) == 4
    [problem] = config.problems
    assert str(problem).startswith("meetings/board-2026-11.yaml:16 (slides[6].metric)")
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


def test_suppression_while_presenting_a_public_meeting(tmp_path, monkeypatch):
    at = _open_slide(monkeypatch, _public_meeting(tmp_path, "  - {show: deep_dive, metric: sv_apprenticeship_completions}\n"), meeting="test")
    at = open_page(at, "deep-dive").run()
    no_errors(at)
    value = SAMPLE.engine.summary("sv_apprenticeship_completions", "RY7", "2026-10").value
    assert 1 <= value <= 7
    assert metrics(at)["Apprenticeships completed"] == "*"
    drawn = chart_data(at)  # the SPC chart leaves the small counts out
    assert not drawn["value"].between(1, 7).any() and drawn["shown"].eq("*").any()
    # a slide is the figures, the chart and the commentary: no table of figures, no download
    assert not at.dataframe and not at.get("download_button")


def test_a_hidden_count_is_not_given_away_by_its_year_to_date(tmp_path, monkeypatch):
    at = _open_slide(monkeypatch, _public_meeting(tmp_path, "  - {show: portfolio, portfolio: social_value, view: Scorecard}\n"), meeting="test")
    at = open_page(at, "social_value").run()
    no_errors(at)
    row = table_frame(html_tables(at)[0]).loc["Apprenticeships completed"]
    months = [row[c] for c in row.index if re.fullmatch(r"[A-Z][a-z]{2}-\d{2}", c)]
    assert "*" in months and row["Year to date"] == "*"  # the shown months and a total would reveal the hidden one
    money = table_frame(html_tables(at)[0]).loc["Supply-chain spend"]  # not a count of people: never hidden
    assert money["Year to date"].startswith("£")


def test_the_board_pack(tmp_path):
    pack = board_pack(SAMPLE, MEETING)
    reader = PdfReader(io.BytesIO(pack.pdf))
    pages = [page.extract_text() for page in reader.pages]
    steps = running_order(SAMPLE.config, SAMPLE.engine, MEETING)
    assert len(pages) >= len(steps)
    for number, text in enumerate(pages, start=1):
        assert "Period: Oct-26" in text and "Synthetic sample data" in text
        assert f"Page {number} of {len(pages)}" in text
    starts = [n for n, text in enumerate(pages) if re.search(r"^\d+\. ", text, re.M)]
    assert len(starts) == len(steps)  # each slide begins a page, numbered
    assert "1. Cheshire & Merseyside portfolio performance" in pages[0]
    assert any(f"{len(steps)}. Social value" in text for text in pages)
    book = load_workbook(io.BytesIO(pack.xlsx))
    assert len(book.sheetnames) == len(pack.tables) and len(pack.tables) > len(steps)
    # the overview slide leads with the summary icon matrix and the escalated metrics, as the page does
    assert list(pack.tables)[:2] == ["1 Variation and assurance", "1 Exceptions"]
    assert set(pack.tables["1 Exceptions"]["Why"]) <= set(ESCALATIONS)
    assert NOT_FOR_A_BOARD.findall("\n".join(pages)) == []


def test_the_board_pack_pages_as_pictures():
    """Each page of the pack rendered to a PNG (by Debian's poppler-utils) for a person to look at."""
    if shutil.which("pdftoppm") is None:
        message = "poppler-utils is not installed: run scripts/install-chromium.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pack = board_pack(SAMPLE, MEETING)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("board-pack-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.pdf"
        source.write_bytes(pack.pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(SCREENSHOTS / "board-pack")], check=True,
                       timeout=120)
    assert len(list(SCREENSHOTS.glob("board-pack-*.png"))) == len(PdfReader(io.BytesIO(pack.pdf)).pages)


def test_the_board_pack_of_a_public_meeting_hides_small_counts(tmp_path):
    config = _public_meeting(tmp_path, "  - {show: deep_dive, metric: sv_apprenticeship_completions}\n")
    ws = load_workspace(config, ROOT / "sample_data")
    pack = board_pack(ws, ws.config.meetings["test"])
    months = pack.tables["1 Apprenticeships completed by month"]
    series = ws.engine.series("sv_apprenticeship_completions", "RY7", start="2025-10", end="2026-10")
    small = [v for v in series["value"] if 1 <= v <= 7]
    assert small and (months["Value"] == "*").sum() == len(small)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages)
    assert "Counts of 1–7 shown as *" in text
    sheet = load_workbook(io.BytesIO(pack.xlsx))["1 Apprenticeships completed by "[:31]]
    assert "*" in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_workbook_cells_that_would_run_as_formulas_are_neutralised():
    import pandas as pd
    book = load_workbook(io.BytesIO(_workbook({"t": pd.DataFrame({"a": ["=1+1", "+44", "-x", "@SUM(A1)", "ok"],
                                                                   "b": [1, -2, 3, 4, 5]})})))
    values = [row for row in book["t"].iter_rows(min_row=2, values_only=True)]
    assert [v[0] for v in values] == ["'=1+1", "'+44", "'-x", "'@SUM(A1)", "ok"]
    assert [v[1] for v in values] == [1, -2, 3, 4, 5]  # numbers stay numbers


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
    assert not [s for s in at.selectbox if s.label in ("Reporting period", "Organisation")]
    assert at.markdown[0].value.startswith("**Slide 1 of ")
    assert at.caption[0].value.startswith("Period: 2026/27 M7 (Oct-26)")
    assert [b.label for b in at.button][:2] == ["Previous", "Next"] and at.button[0].disabled


def test_presenter_mode_without_a_known_meeting_presents_the_view(presenting):
    at = presenting(meeting="nope", period="2025-06")
    assert "no meeting `nope`" in at.warning[0].value
    assert at.session_state["period"] == "2025-06" and not at.exception
    clamped = presenting(slide="999")  # a slide past the end shows the last, and says so
    assert re.match(r"\*\*Slide (\d+) of \1\*\*", clamped.markdown[0].value)
    assert "has no slide `999`" in clamped.warning[0].value
    assert "has no slide `two`" in presenting(slide="two").warning[0].value
    assert "has no slide `²`" in presenting(slide="²").warning[0].value  # a digit to Python, not a number
    assert "has no slide `" + "9" * 60 + "…`" in presenting(slide="9" * 5000).warning[0].value


def test_no_drilling_while_presenting_unless_the_presenter_allows_it(presenting):
    at = presenting(slide="2")
    at = open_page(at, "uec").run()
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
    assert list(at.table[0].value["Shows"]) == [step.title for step in steps]  # the running order, in order
    at.toggle(key="pack-board-2026-11").set_value(True).run()
    no_errors(at)
    assert [d.proto.label for d in at.get("download_button")] == ["Board pack (PDF)", "Every table (Excel)"]
