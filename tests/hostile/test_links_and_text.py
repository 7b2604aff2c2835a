"""Hostile links, commentary and exported text: a crafted address opens a page that says what it
could not show and shows the rest; commentary can neither fetch a picture from elsewhere nor
run markup; no text from the config or the data reaches a slide, the pack or a download as markup
or as a spreadsheet formula."""

import html
import io
import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portfolio.config.commentary import latest_commentary, slide_narrative, without_pictures
from portfolio.outputs.exports import safe_csv
from portfolio.outputs.pack import view_pdf, workbook
from tests.apptest import no_errors, open_page, start
from tests.conftest import ROOT

SLIDES = ["²", "--1", "-1", "0", "9" * 5000, "1e3", " 1", "1.0", "0x10", "١", "99999", "<b>2</b>", "%00", ""]


@pytest.mark.parametrize("slide", SLIDES, ids=[repr(s)[:12] for s in SLIDES])
def test_a_crafted_slide_number_shows_a_slide_and_says_so(monkeypatch, slide):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    for key, value in {"present": "1", "meeting": "board-2026-11", "slide": slide}.items():
        at.query_params[key] = value
    at.run()
    no_errors(at)
    bar = at.markdown[0].value
    assert re.match(r"\*\*Slide (\d+) of (\d+)\*\* · the meeting has no slide `", bar), bar
    assert [e for e in at.get("html") if 'class="pp-slide' in e.proto.body]  # a slide is drawn


LINKS = [  # (page, parameters, what the page says about them)
    ("", {"period": "2026-13"}, "the period `2026-13`"),
    ("", {"period": "<script>alert(1)</script>"}, "the period `<script>alert(1)</script>`"),
    ("", {"org": "[click](https://evil.example)"}, "the organisation `[click](https://evil.example)`"),
    ("", {"org": "\x00\x07"}, "the organisation `"),
    ("", {"matrix": "uec.concern.nope"}, "That part of the summary is not in this dashboard."),
    ("uec", {"view": "Nope"}, "the view `Nope`"),
    ("uec", {"view": "x" * 3000}, "the view `" + "x" * 60 + "…`"),
    ("deep-dive", {"metric": "nope"}, "the metric `nope`"),
    ("deep-dive", {"metric": "ae_4hr_all", "part": "provider:NOPE"}, "`provider:NOPE`"),
    ("deep-dive", {"metric": "ae_4hr_all", "part": "x" * 5000}, "…`"),
    ("", {"present": "1", "meeting": "<img src=x>"}, "no meeting `<img src=x>`"),
]


@pytest.mark.parametrize("page, params, says", LINKS, ids=[f"{p or 'overview'}-{list(q)[0]}-{n}"
                                                          for n, (p, q, _) in enumerate(LINKS)])
def test_a_crafted_link_says_what_it_could_not_show(monkeypatch, page, params, says):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at = open_page(at, page)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception
    said = " ".join([w.value for w in at.warning] + [c.value for c in at.caption])
    assert says in said, said
    assert at.title  # the page itself is drawn


PICTURES = ["![x](https://evil.example/p.png)", "![](http://10.0.0.1/track.gif)", "![a][ref]\n\n[ref]: http://x/y.png",
            "![alt text](<https://a b/c.png>)", "!   [x](y)", "![x](data:image/png;base64,AAAA)",
            "text ![one](a.png) and ![two](b.png)"]


@pytest.mark.parametrize("markdown", PICTURES)
def test_commentary_shows_no_picture(tmp_path, markdown):
    (tmp_path / "2026-10.md").write_text(f"## What the data shows\n\n{markdown}\n")
    text = latest_commentary(tmp_path, "2026-10").text
    assert not re.search(r"!\[[^\]]*\]\s*[(\[]", text), text
    if markdown.startswith("!["):
        assert "[picture: " in text


@pytest.mark.parametrize("markdown", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                      "<iframe src=https://evil.example>", "javascript:alert(1)",
                                      "**bold** and <b>tags</b>", "\x00\x07 control"])
def test_commentary_markup_reaches_a_slide_only_as_text(tmp_path, markdown):
    from components.slides import _narrative
    from tests.sweep import SAMPLE
    (tmp_path / "2026-10.md").write_text(f"## What the data shows\n\n{markdown}\n")
    note = latest_commentary(tmp_path, "2026-10")
    drawn = _narrative(SAMPLE, note, SAMPLE.tree.root, "2026-10")
    assert "<script" not in drawn and "<img" not in drawn and "<iframe" not in drawn and "<b>tags" not in drawn
    shown = html.unescape(re.sub(r"<[^>]+>", "", drawn))
    assert slide_narrative(note)[0][1][0].replace("*", "") in shown or "control" in shown


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")",
                                  "==", "+", "-"])
def test_no_exported_text_runs_as_a_formula(text):
    frame = pd.DataFrame({"Name": [text], "Value": [text]})
    first = safe_csv(frame).splitlines()[1]
    assert first.lstrip('"').startswith("'"), first
    book = load_workbook(io.BytesIO(workbook({"t": frame})))
    assert all(str(v).startswith("'") for v in next(book["t"].iter_rows(min_row=2, values_only=True)))


@pytest.mark.parametrize("title", ["<b>bold</b>", "A & B", "<para>x</para>", "x" * 3000, "line\nbreak", "\x00null"])
def test_a_view_pdf_shows_any_title_as_text(title):
    pdf = PdfReader(io.BytesIO(view_pdf(title, "<i>context</i>", [("<t>", pd.DataFrame({"<a>": ["<b>"]}))], "x")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "<i>context</i>" in text and "<a>" in text and "<b>" in text


def test_without_pictures_leaves_links_and_text():
    assert without_pictures("[a link](https://x) and text") == "[a link](https://x) and text"


@pytest.mark.parametrize("label", ["X" * 100, "4-hour\u202eperformance", "Ünïcödé ✓ ✘ £ € — “quoted” 𝔘", "<b>&amp;"])
def test_any_label_a_config_allows_goes_on_a_slide_and_into_the_pack(tmp_path, label):
    import shutil

    import streamlit as st

    from components.slides import slide_html
    from components.state import PRESENTING_KEY
    from portfolio.outputs.meetings import running_order
    from portfolio.outputs.pack import board_pack
    from portfolio.workspace import load_workspace
    from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    portfolio = tmp_path / "config/portfolios/demo.yaml"
    portfolio.write_text(portfolio.read_text().replace("label: 4-hour performance", f"label: {json.dumps(label, ensure_ascii=False)}"))
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/m.yaml").write_text(
        "id: m\ntitle: M\ndate: 2023-07-20\nperiod: 2023-06\nslides:\n  - {show: overview}\n"
        "  - {show: portfolio, portfolio: demo}\n  - {show: deep_dive, metric: four_hour}\n")
    ws = load_workspace(tmp_path / "config", FIXTURE_DATA)
    assert ws.config.problems == []
    meeting = ws.config.meetings["m"]
    steps = running_order(ws.config, ws.engine, meeting)
    st.session_state[PRESENTING_KEY] = True  # slides are drawn while presenting: nothing on them links away
    drawn = [slide_html(ws, meeting, ws.tree.root, step, n, len(steps)) for n, step in enumerate(steps, start=1)]
    shown = ws.config.metrics["four_hour"].label  # a right-to-left mark taken out
    assert "\u202e" not in shown and shown.replace(" ", "") == label.replace("\u202e", "").replace(" ", "")
    assert any(html.escape(shown) in slide for slide in drawn) and not any("<b>&amp;" in s for s in drawn)
    pack = board_pack(ws, meeting)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages)
    assert "could not be drawn" not in text and len(PdfReader(io.BytesIO(pack.pdf)).pages) >= 4


@pytest.mark.parametrize("link", ["file", "folder"])
def test_commentary_linked_from_outside_the_config_folder_is_not_read(tmp_path, link):
    from portfolio.config.commentary import metric_commentary
    config = tmp_path / "config"
    (config / "commentary/metrics/m").mkdir(parents=True)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "2026-10.md").write_text("the secret")
    if link == "file":
        (config / "commentary/metrics/m/2026-10.md").symlink_to(secret / "2026-10.md")
    else:
        (config / "commentary/metrics/m").rmdir()
        (config / "commentary/metrics/m").symlink_to(secret)
    assert metric_commentary(config, "m", "2026-10") is None


def test_a_nul_in_an_extract_name_never_reaches_the_file_system(tmp_path):
    import shutil

    from portfolio.config.loading import load_config
    from portfolio.data.extracts import load_extracts
    from tests.conftest import FIXTURE_CONFIG
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "data").mkdir()
    portfolio = tmp_path / "config/portfolios/demo.yaml"
    portfolio.write_text(portfolio.read_text().replace("extract: demo.csv", 'extract: "demo\\0.csv"'))
    config = load_config(tmp_path / "config")
    assert {m.source.extract for m in config.metrics.values()} == {"demo .csv"}  # the NUL read as a space
    said = [p.message for r in load_extracts(config, tmp_path / "data")[1] for p in r.problems]
    assert any(m.startswith("is missing from the data folder") for m in said)
