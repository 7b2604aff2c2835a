"""The board pack: a meeting's running order as a PDF (one section per slide, charts rendered by
vl-convert at twice screen resolution, tables split across pages with their headings repeated, a
footer with the period, data as at and page number) and a workbook of every table in it.
Built on the server from the same figures and chart builders as the pages; nothing here reads a
browser. Text from the config and the extracts is escaped, never read as markup."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pandas as pd
import vl_convert
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (Image, KeepTogether, LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                TableStyle)
from reportlab.pdfgen import canvas as pdf_canvas

from portfolio.formatting import context_line, data_words
from portfolio.charts import spc_chart
from components.front_sheet import scoring_table
from portfolio.commentary import metric_commentary, portfolio_commentary, sections, written_for
from portfolio.config import Meeting
from portfolio.exports import neutralise
from portfolio.formatting import SUPPRESSION, format_status, format_target, format_value
from portfolio.judgement import ASSURANCE_GROUPS, ASSURANCE_WORDS, MATRIX_CELLS, VARIATION_GROUPS, VARIATION_WORDS, \
    change, exceptions, icon_matrix, year_to_date_withheld
from portfolio.meetings import OVERVIEW, Step, organisation, running_order
from portfolio.periods import fy_to_date, month_key, month_label, parse_month
from portfolio.workspace import Workspace

PAGE = landscape(A4)
STYLES = getSampleStyleSheet()
NHS_BLUE = colors.HexColor("#005EB8")
FAILING = colors.HexColor("#fde8e8")
HEADLINE_COLUMNS = ["Metric", "Latest", "Month", "Target", "Status", "Change", "Variation", "Assurance"]


@dataclass
class BoardPack:
    pdf: bytes
    xlsx: bytes
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def board_pack(ws: Workspace, meeting: Meeting) -> BoardPack:
    """The PDF and workbook for ``meeting``; small numbers hidden when the meeting is in public."""
    token = SUPPRESSION.set(ws.config.settings.small_numbers if meeting.public else None)
    try:
        org = organisation(ws.config, meeting)
        story, tables = [], {}
        for number, step in enumerate(running_order(ws.config, ws.engine, meeting), start=1):
            if number > 1:
                story.append(PageBreak())
            story += _slide(ws, meeting, org, number, step, tables)
        footer = _footer(ws, meeting, org)
        buffer = io.BytesIO()
        document = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=14 * mm, rightMargin=14 * mm,
                                     topMargin=12 * mm, bottomMargin=16 * mm, title=meeting.title,
                                     author=ws.config.settings.title)
        document.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=footer, **k))
        return BoardPack(buffer.getvalue(), _workbook(tables), tables)
    finally:
        SUPPRESSION.reset(token)


def _footer(ws: Workspace, meeting: Meeting, org: str) -> str:
    parts = [meeting.title, f"Period: {month_label(meeting.period)}",
             data_words(ws.data_as_at(), ws.synthetic)]
    if meeting.public:
        parts.append(f"Counts of {ws.config.settings.small_numbers.low}–{ws.config.settings.small_numbers.high} "
                     f"shown as {ws.config.settings.small_numbers.symbol}")
    return " · ".join(part for part in parts if part)


class _NumberedCanvas(pdf_canvas.Canvas):
    """Writes the footer with "Page N of M" once every page is laid out."""

    def __init__(self, *args, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._pages = footer, []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#425563"))
            self.drawString(14 * mm, 8 * mm, self._footer)
            self.drawRightString(PAGE[0] - 14 * mm, 8 * mm, f"Page {number} of {len(self._pages)}")
            super().showPage()
        super().save()


def _slide(ws: Workspace, meeting: Meeting, org: str, number: int, step: Step, tables: dict) -> list:
    period = meeting.period
    if step.page == OVERVIEW:
        title, extracts = ws.config.settings.title, None
    elif step.metric:
        title, extracts = step.title, {ws.config.metrics[step.metric].source.extract}
    else:
        portfolio = ws.config.portfolio(step.page)
        title, extracts = portfolio.title, {m.source.extract for m in portfolio.metrics}
    flow = [Paragraph(f"{number}. {escape(title)}", STYLES["Title"]),
            Paragraph(escape(context_line(ws, period, org, extracts)), STYLES["Italic"]), Spacer(1, 4 * mm)]
    if step.page == OVERVIEW:
        every = {p.id: ws.engine.portfolio_summaries(p.id, org, period) for p in ws.config.portfolios}
        flow += _table(f"{number} Variation and assurance", _matrix(ws, every), tables,
                       "Variation and assurance: how many metrics in each (Making Data Count)")
        escalated = exceptions([s for found in every.values() for s in found])
        flow += _table(f"{number} Exceptions", pd.DataFrame([{
            "Metric": s.metric.label, "Portfolio": ws.config.portfolio_of(s.metric.id).title,
            "Latest": format_value(s.metric, s.value), "Target": format_target(s.metric, s.target),
            "Change": change(s).text or "–", "Why": why,
        } for s, why in escalated], columns=["Metric", "Portfolio", "Latest", "Target", "Change", "Why"]), tables,
            f"Exceptions: {len(escalated)} metrics escalated, most serious first")
        for portfolio in ws.config.portfolios:
            by_id = {s.metric.id: s for s in every[portfolio.id]}
            flow += _table(f"{number} {portfolio.title}", _headlines([by_id[m.id] for m in portfolio.headline_metrics]),
                           tables, portfolio.title)
    elif step.metric:
        flow += _deep_dive(ws, org, period, step.metric, number, tables)
    else:
        flow += _front_sheet(ws, org, period, step, number, tables)
    return flow


def _matrix(ws: Workspace, every: dict) -> pd.DataFrame:
    """The overview's summary icon matrix, counts only: a row for each variation and assurance, a
    column for each portfolio (the page's, turned on its side to fit a page's width)."""
    cells = {p.title: icon_matrix(every[p.id]) for p in ws.config.portfolios}
    return pd.DataFrame([{"Variation": VARIATION_GROUPS[v], "Assurance": ASSURANCE_GROUPS[a],
                          **{title: len(found[(v, a)]) for title, found in cells.items()}} for v, a in MATRIX_CELLS])


def _headlines(summaries) -> pd.DataFrame:
    return pd.DataFrame([{
        "Metric": s.metric.label,
        "Latest": format_value(s.metric, s.value),
        "Month": month_label(s.value_period) if s.value_period else "–",
        "Target": format_target(s.metric, s.target),
        "Status": format_status(s.status),
        "Change": change(s).text or "–",
        "Variation": VARIATION_WORDS.get(s.variation_icon, "–"),
        "Assurance": ASSURANCE_WORDS.get(s.assurance_icon, "–"),
    } for s in summaries if s.available], columns=HEADLINE_COLUMNS)


def _front_sheet(ws: Workspace, org: str, period: str, step: Step, number: int, tables: dict) -> list:
    portfolio = ws.config.portfolio(step.page)
    summaries = ws.engine.portfolio_summaries(portfolio.id, org, period)
    flow = _table(f"{number} {portfolio.title} scoring", scoring_table(portfolio, summaries), tables,
                  "Scoring by category")
    note = portfolio_commentary(ws.config.folder, portfolio.id, period, org)
    if note is not None:
        flow.append(Paragraph(escape(written_for(note, org, ws.tree)),
                              STYLES["Italic"]))
        for heading, text in sections(note.text).items():
            if heading:
                flow += [Paragraph(escape(heading), STYLES["Heading3"]), Paragraph(_plain(text), STYLES["BodyText"])]
    focus = [s for s in summaries if s.available and s.metric.is_focus(period)]
    if focus:
        flow += _table(f"{number} {portfolio.title} focus", _headlines(focus), tables, "Focus this month")
    if step.view and step.view != "Front sheet":
        flow.append(Paragraph(escape(f"The meeting shows the {step.view} view here; the pack gives its front sheet."),
                              STYLES["Italic"]))
    return flow


def _deep_dive(ws: Workspace, org: str, period: str, metric_id: str, number: int, tables: dict) -> list:
    metric = ws.config.metrics[metric_id]
    summary = ws.engine.summary(metric_id, org, period)
    if not summary.available:
        return [Paragraph(escape(f"{metric.label} is not reported for {ws.tree[org].name}."), STYLES["BodyText"])]
    flow = [Paragraph(escape(metric.definition), STYLES["BodyText"]), Spacer(1, 2 * mm)]
    flow += _table(f"{number} {metric.label}", pd.DataFrame([{
        "Latest": format_value(metric, summary.value),
        "Target": format_target(metric, summary.target),
        "Status": format_status(summary.status),
        "Year to date": "–" if summary.fytd is None else SUPPRESSION.get().symbol if year_to_date_withheld(
            metric, _year_values(ws, metric_id, org, summary.value_period or period)) else format_value(metric, summary.fytd),
        "Change": change(summary).text or "–",
        "Variation": VARIATION_WORDS.get(summary.variation_icon, "–"),
        "Assurance": ASSURANCE_WORDS.get(summary.assurance_icon, "–"),
    }]), tables, "Headline")
    series = ws.engine.series(metric_id, org, end=period)
    series = series[series["value"].notna()]
    spc = ws.engine.spc(metric_id, org, period)
    if spc is not None:
        chart, key = spc_chart(metric, spc.points, series, period, title=f"{metric.label}, {ws.tree[org].name}")
        png = vl_convert.vegalite_to_png(chart.properties(width=900, height=300).to_dict(), scale=2)
        flow += [Image(io.BytesIO(png), width=250 * mm, height=250 * mm * 340 / 1000, kind="proportional"),
                 Paragraph(escape(key), STYLES["Italic"])]
    if note := metric_commentary(ws.config.folder, metric_id, period, org):
        flow += [Paragraph("Commentary", STYLES["Heading3"]),
                 Paragraph(escape(written_for(note, org, ws.tree)),
                           STYLES["Italic"]),
                 Paragraph(_plain(note.text), STYLES["BodyText"])]
    # the months behind the chart go in the workbook, so that each deep dive is one page of the pack
    recent = series.tail(13).iloc[::-1]
    tables[f"{number} {metric.label} by month"] = pd.DataFrame({
        "Month": [month_label(p) for p in recent["period"]],
        "Value": [format_value(metric, v) for v in recent["value"]],
        "Target": [format_target(metric, metric.target_for(p, org)) for p in recent["period"]],
        "Status": [format_status(s) for s in recent["status"]],
    })
    return flow


def _year_values(ws: Workspace, metric_id: str, org: str, month: str) -> list[float]:
    """The months of the financial year to ``month``, whose hidden counts withhold its year to date."""
    year = [month_key(m) for m in fy_to_date(parse_month(month))]
    return list(ws.engine.series(metric_id, org, start=year[0], end=month)["value"])


def _table(name: str, frame: pd.DataFrame, tables: dict, heading: str) -> list:
    """A table that splits across pages with its heading row repeated; kept for the workbook."""
    tables[name] = frame
    if frame.empty:
        return []
    cell = STYLES["BodyText"].clone("cell", fontSize=9, leading=11)
    head = cell.clone("head", textColor=colors.white, fontName="Helvetica-Bold")
    rows = [[Paragraph(escape(str(c)), head) for c in frame.columns]]
    rows += [[Paragraph(escape(str(v)), cell) for v in row] for row in frame.itertuples(index=False)]
    table = LongTable(rows, repeatRows=1, hAlign="LEFT")
    style = [("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE), ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#AEB7BD")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("BACKGROUND", (c, r + 1), (c, r + 1), FAILING) for r, row in enumerate(frame.itertuples(index=False))
              for c, v in enumerate(row) if isinstance(v, str) and ("✘" in v)]
    table.setStyle(TableStyle(style))
    # the heading stays with its table: a table longer than a page still splits, its heading row repeated
    return [KeepTogether([Paragraph(escape(heading), STYLES["Heading3"]), table]), Spacer(1, 4 * mm)]


def _plain(markdown: str) -> str:
    """Markdown as escaped plain text: emphasis marks dropped, the lines of a paragraph joined as
    Markdown joins them, paragraphs apart and each list item on its own line."""
    lines = []
    for line in re.sub(r"[*_`]+", "", markdown).splitlines():
        item = re.match(r"\s*([-+]|\d+\.)\s", line)
        if lines and line.strip() and lines[-1] and not item:
            lines[-1] += " " + line.strip()
        else:
            lines.append(("• " + line[item.end():].strip()) if item and item.group(1) in "-+" else line.strip())
    return "<br/>".join(escape(line) for line in lines)


def _workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """Every table on its own sheet; text a spreadsheet would run as a formula is neutralised."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, frame in tables.items():
        title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
        while title in used:
            title = title[:28] + f"~{len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.append([neutralise(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
