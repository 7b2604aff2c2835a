"""Every view can be taken away as it is shown: on every page and tab of the sample, each table
drawn (an HTML table, st.table or st.dataframe) has a CSV of its own in the Download menu, with
the view as a PDF page and every table in a workbook; what is kept is what the table shows, and
the files neutralise spreadsheet formulas."""

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from components.exported import SHOWN_KEY
from portfolio.outputs.exports import safe_csv
from portfolio.outputs.pack import view_pdf
from tests.apptest import html_tables, no_errors, open_page, table_frame
from tests.sweep import SAMPLE

PAGES = [("", None), ("deep-dive", None), ("about", None), ("meetings", None)] + [
    (p.id, tab) for p in SAMPLE.config.portfolios for tab in p.tabs]
OWN_DOWNLOADS = {"Download these figures (CSV)"}  # the deep dive's figures as numbers, besides the table shown


@pytest.fixture(scope="module")
def dashboard(sample_app):
    return sample_app


def _visit(at, page: str, tab: str | None):
    at = open_page(at, page).run()  # a new page starts on its first tab
    at.session_state["view"] = at.query_params["view"] = tab or "Front sheet"  # the tab bound to the link
    at.run()
    no_errors(at)
    return at


@pytest.mark.parametrize("page, tab", PAGES, ids=[f"{p or 'overview'}-{t or ''}" for p, t in PAGES])
def test_every_table_on_the_page_has_a_csv(dashboard, page, tab):
    at = _visit(dashboard, page, tab)
    labels = [d.proto.label for d in at.get("download_button")]
    drawn = [t["caption"] for t in html_tables(at)] + [None] * (len(at.table) + len(at.dataframe))
    csvs = [label for label in labels if label.endswith("(CSV)") and label not in OWN_DOWNLOADS]
    assert len(csvs) == len(drawn), (labels, drawn)
    assert all(f"{caption} (CSV)" in csvs for caption in drawn if caption)
    assert labels[:2] == ["This view (PDF)", "Every table (Excel)"] if drawn else labels == ["This view (PDF)"]
    kept = at.session_state[SHOWN_KEY]
    assert kept.title.startswith(at.title[0].value) and kept.context  # the PDF's title and context line


def test_a_kept_table_is_the_table_shown(dashboard):
    at = _visit(dashboard, "elective", "Scorecard")
    shown = table_frame(html_tables(at)[0]).reset_index()
    [(title, kept)] = [(t, f) for t, f in at.session_state[SHOWN_KEY].tables]
    assert title == html_tables(at)[0]["caption"] == "Elective care scorecard"
    assert list(kept["Group"]) == list(shown["Group"])  # each row under its category
    first = shown.columns[0]
    assert list(kept[first]) == list(shown[first])
    october = kept.set_index(first).loc["★ RTT incomplete pathways within 18 weeks", "Oct-26"]
    assert october == shown.set_index(first).loc["★ RTT incomplete pathways within 18 weeks", "Oct-26"] == "63.6% ✘"


def test_the_view_as_a_pdf_page(dashboard):
    at = _visit(dashboard, "finance", "Financial position")
    kept = at.session_state[SHOWN_KEY]
    pdf = PdfReader(io.BytesIO(view_pdf(kept.title, kept.context, kept.items, "the dashboard")))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Finance: Financial position" in text and "Period: 2026/27 M7 (Oct-26)" in text
    assert "Page 1 of" in text and pdf.metadata.title == "Finance: Financial position"
    [(title, frame)] = kept.tables
    assert title in text and all(" ".join(str(v).split()) in text for v in frame.iloc[0] if str(v))


def test_exported_text_never_runs_as_a_formula():
    frame = pd.DataFrame({"Metric": ["=HYPERLINK(\"http://x\")", "+1", "ok"], "Value": ["-2", "@A1", "3"]})
    lines = safe_csv(frame).splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",\'-2' and lines[2] == "'+1,'@A1" and lines[3] == "ok,3"
    text = PdfReader(io.BytesIO(view_pdf("A <b>view</b>", "context", [("t", frame)], "x"))).pages[0].extract_text()
    assert "A <b>view</b>" in text  # shown as text, never read as markup
