"""The board pack: the PDF a board secretary sends out (cover, contents matching the bookmarks, the
summary, a page per exception with its chart and narrative, a footer on every page, no mostly
blank page), tables that break well, the workbook, small numbers hidden in public, and the
command a scheduled run uses. Pages are rendered with Debian's poppler-utils to be measured."""

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from portfolio.cli import main
from portfolio.config.commentary import metric_commentary, plain_lines, sections
from portfolio.figures.judgement import exceptions
from portfolio.outputs.meetings import organisation
from portfolio.outputs.pack import FRAME_HEIGHT, MIN_ROWS, PAGE, BoardTable, board_pack, workbook
from portfolio.workspace import load_workspace
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import NOT_FOR_A_BOARD, ROOT
from tests.sweep import SAMPLE

MEETING = SAMPLE.config.meetings["board-2026-11"]
BLANK_BELOW = 0.40  # a page whose content covers less of its height is mostly blank


@pytest.fixture(scope="module")
def pack():
    return board_pack(SAMPLE, MEETING)


@pytest.fixture(scope="module")
def reader(pack):
    return PdfReader(io.BytesIO(pack.pdf))


def _outline(reader) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) for every bookmark, in order."""
    found = []

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                found.append((level, entry.title, reader.get_destination_page_number(entry) + 1))
    walk(reader.outline, 0)
    return found


def _poppler():
    if shutil.which("pdftoppm") is None:
        message = "poppler-utils is not installed: run scripts/install-test-packages.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_cover_says_what_the_pack_is(reader):
    cover = reader.pages[0].extract_text()
    for words in (MEETING.title, "Thursday 26 November 2026", "Meeting in public", "2026/27 M7 (Oct-26)",
                  "NHS Cheshire and Merseyside", "Synthetic sample data as at", "every figure in this pack is invented"):
        assert words in cover
    assert reader.metadata.title == f"Board pack: {MEETING.title}"
    assert reader.metadata.author == SAMPLE.config.settings.title


def test_the_contents_match_the_bookmarks(reader):
    outline = _outline(reader)
    assert [title for _, title, _ in outline[:3]] == [MEETING.title, "Contents", "Summary"]
    contents_pages = range(outline[1][2], outline[2][2])  # from the contents to the summary
    text = "\n".join(reader.pages[n - 1].extract_text() for n in contents_pages)
    # each entry as pypdf reads it out: its dotted leader and page number, then its title on a line
    listed = [(title.strip(), int(page)) for page, title in re.findall(r"(?:\. *)+(\d+)\n([^\n]+)", text)]
    assert listed == [(title, page) for _, title, page in outline[2:]]
    levels = [level for level, _, _ in outline]
    assert set(levels) == {0, 1}
    assert [title for level, title, _ in outline if level == 0][2:] == [
        "Summary", "Exceptions", *(SAMPLE.config.portfolio(s.portfolio).title for s in MEETING.slides
                                   if s.show == "portfolio")]


def test_every_page_has_the_footer(reader):
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert f"{MEETING.title} · Period: Oct-26 · Synthetic sample data as at" in text
        assert "Counts of 1–7 shown as *" in text  # a meeting in public
    assert NOT_FOR_A_BOARD.findall("\n".join(page.extract_text() for page in reader.pages)) == []


def test_every_exception_has_a_page_with_its_chart_narrative_and_breakdown(reader):
    org = organisation(SAMPLE.config, MEETING)
    every = [s for p in SAMPLE.config.portfolios for s in SAMPLE.engine.portfolio_summaries(p.id, org, MEETING.period)]
    escalated = exceptions(every)
    outline = _outline(reader)
    start = next(n for n, (_, title, _) in enumerate(outline) if title == "Exceptions")
    pages = {title: page for level, title, page in outline[start + 1:start + 1 + len(escalated)]}
    assert list(pages) == [s.metric.label for s, _ in escalated]
    narrated = 0
    for summary, why in escalated:
        page = reader.pages[pages[summary.metric.label] - 1]
        text = " ".join(page.extract_text().split())
        assert why in text  # why it is escalated
        broken_down = any(len(SAMPLE.engine.breakdown(summary.metric.id, org, d, MEETING.period)) >= 2
                          for d in summary.metric.drill)
        assert ("By " in text) if broken_down else ("No breakdown is reported for this organisation" in text)
        assert len(page.images) >= 1, f"{summary.metric.label}: no chart"
        note = metric_commentary(SAMPLE.config.folder, summary.metric.id, MEETING.period, org)
        if note is None:
            assert "No narrative has been written for Oct-26" in text
        else:
            narrated += 1
            for line in (line for part in sections(note.text).values() for line in plain_lines(part)):
                assert " ".join(line.split()) in text
    assert narrated >= 1  # the sample narrates at least one exception, so the narrative is checked


def test_no_page_is_mostly_blank_but_the_last_of_a_section(pack, reader):
    """Measured on the pages as pictures: the share of the page's height (above the footer) that
    has anything on it. A section begins on each page a bookmark leads to."""
    _poppler()
    starts = {page for _, _, page in _outline(reader)}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.pdf"
        source.write_bytes(pack.pdf)
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(source), f"{folder}/page"], check=True, timeout=120)
        covered = []
        for picture in sorted(Path(folder).glob("page-*.png")):
            ink = np.asarray(Image.open(picture).convert("L"))
            body = ink[: int(ink.shape[0] * 0.92)]  # the footer is on every page: it is not content
            covered.append((body < 248).any(axis=1).sum() / ink.shape[0])
    assert len(covered) == len(reader.pages)
    last_of_section = {n for n in range(1, len(covered) + 1) if n + 1 in starts or n == len(covered)}
    blank = [(n, round(share, 2)) for n, share in enumerate(covered, start=1) if share < BLANK_BELOW
             and n not in last_of_section]
    assert blank == []
    assert sum(share >= BLANK_BELOW for share in covered) > len(covered) / 2  # the measure sees content


def _laid_out(before: float, rows: int) -> list[list[int]]:
    """The body rows of a table of ``rows`` on each page, after ``before`` points of other content."""
    table = BoardTable("A table", ["Name", "Value"], [[f"row {n}", str(n)] for n in range(rows)])
    document = SimpleDocTemplate(io.BytesIO(), pagesize=PAGE, topMargin=12 * mm, bottomMargin=16 * mm)
    placed = []
    document.afterFlowable = lambda f: placed.append((document.page, len(f.rows))) if isinstance(f, BoardTable) else None
    document.build([Spacer(1, before), table])
    return placed


def test_a_table_never_leaves_one_or_two_rows_alone():
    # the page is two thirds full and the table fits a page: it moves whole to the next
    assert _laid_out(FRAME_HEIGHT * 0.7, 12) == [(2, 12)]
    # a long table splits, its heading and header repeated, never leaving fewer than MIN_ROWS behind
    placed = _laid_out(FRAME_HEIGHT * 0.2, 60)
    assert sum(rows for _, rows in placed) == 60 and len(placed) >= 2
    assert all(rows >= MIN_ROWS for _, rows in placed)
    # a table that would leave only its last row or two on the next page keeps MIN_ROWS together
    for rows in range(20, 40):
        assert all(count >= MIN_ROWS for _, count in _laid_out(FRAME_HEIGHT * 0.1, rows))


def test_a_table_page_marks_each_figure_against_its_target_not_by_colour_alone(pack, reader):
    page = next(n for _, title, n in _outline(reader) if title == "Constitutional standards")
    text = reader.pages[page - 1].extract_text()
    standards = pack.tables["Constitutional standards"]
    assert standards.iloc[0, 2].endswith("✘") and "✘" in text and "✔" in text  # RTT 18 weeks misses; 104 weeks meets


def test_the_workbook_has_every_table_and_no_formulas(pack):
    book = load_workbook(io.BytesIO(pack.xlsx))
    assert len(book.sheetnames) == len(pack.tables) > 10
    assert {"Every metric", "Variation and assurance", "Constitutional standards"} <= set(book.sheetnames)
    every = pack.tables["Every metric"]
    assert len(every) == sum(s.available for p in SAMPLE.config.portfolios
                             for s in SAMPLE.engine.portfolio_summaries(p.id, SAMPLE.tree.root, MEETING.period))
    neutral = load_workbook(io.BytesIO(workbook({"t": pd.DataFrame({"a": ["=1+1", "+44", "-x", "@SUM(A1)", "ok"],
                                                                     "b": [1, -2, 3, 4, 5]})})))
    values = list(neutral["t"].iter_rows(min_row=2, values_only=True))
    assert [v[0] for v in values] == ["'=1+1", "'+44", "'-x", "'@SUM(A1)", "ok"]
    assert [v[1] for v in values] == [1, -2, 3, 4, 5]  # numbers stay numbers


def test_the_pack_of_a_public_meeting_hides_small_counts(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "meetings" / "test.yaml").write_text(
        "id: test\ntitle: Test meeting in public\ndate: 2026-11-26\nperiod: 2026-10\norganisation: RY7\npublic: true\n"
        "slides:\n  - {show: deep_dive, metric: sv_apprenticeship_completions}\n")
    ws = load_workspace(tmp_path / "config", ROOT / "sample_data")
    value = ws.engine.summary("sv_apprenticeship_completions", "RY7", "2026-10").value
    assert 1 <= value <= 7
    pack = board_pack(ws, ws.config.meetings["test"])
    every = pack.tables["Every metric"].set_index("Metric")
    assert every.loc["Apprenticeships completed", "Latest"] == "*"
    private = ws.config.meetings["test"].model_copy(update={"public": False})
    assert board_pack(ws, private).tables["Every metric"].set_index("Metric").loc[
        "Apprenticeships completed", "Latest"] == f"{value:g}"


def test_the_same_pack_from_the_command_line(tmp_path, capsys, reader):
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    assert main(["pack", "--config", str(ROOT / "config"), "--data", str(ROOT / "sample_data"),
                 "--meeting", MEETING.id, "--out", str(pdf), "--xlsx", str(xlsx)]) == 0
    assert len(PdfReader(pdf).pages) == len(reader.pages) and load_workbook(xlsx).sheetnames
    assert main(["pack", "--config", str(ROOT / "config"), "--data", str(ROOT / "sample_data"),
                 "--meeting", "nope", "--out", str(pdf)]) == 2
    assert "there is no meeting 'nope'" in capsys.readouterr().err


def test_the_board_pack_pages_as_pictures(pack, reader):
    """Each page of the pack rendered to a PNG (by Debian's poppler-utils) for a person to look at."""
    _poppler()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("board-pack-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.pdf"
        source.write_bytes(pack.pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(SCREENSHOTS / "board-pack")], check=True,
                       timeout=120)
    assert len(list(SCREENSHOTS.glob("board-pack-*.png"))) == len(reader.pages)
