"""The board pack: a meeting's running order as the PDF a board secretary sends out (A4
landscape), and a workbook of every table in it.

    cover · contents (page numbers, and PDF bookmarks) · summary of every metric (the Making Data
    Count icon table, with a sparkline each) · one page per exception (SPC chart with both icons,
    the narrative, and the breakdown that explains it) · a section per portfolio of the running
    order (its front sheet, then its metric and table slides)

Every page has a footer: meeting, period, data as at, the small-number rule (meetings in
public) and "Page n of N". Tables keep their heading, repeat their header row and never leave
one or two rows alone on a page. Built on the server from the same figures and chart builders as
the pages, with no Streamlit: ``python -m portfolio pack`` makes the same file. Text from the
config, the commentary and the extracts is escaped, never read as markup; text in the workbook
that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

import pandas as pd
import vl_convert
from openpyxl import Workbook
from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image, KeepInFrame, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from portfolio.config.commentary import (front_sheet_narrative, metric_commentary, plain_lines, portfolio_commentary,
                                         sections, written_for)
from portfolio.config.months import Month
from portfolio.config.schema import ORG_LEVELS, Meeting, Metric, StandardsView, key_words
from portfolio.figures.judgement import (ASSURANCE_GROUPS, MATRIX_CELLS, VARIATION_GROUPS, exceptions, icon_matrix,
                                         scoring, status)
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.suppression import SUPPRESSION, mask
from portfolio.figures.views import heat_table, standards_columns, standards_table
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import spc_chart
from portfolio.outputs.exports import neutralise
from portfolio.outputs.formatting import (change, context_line, data_words, format_status, format_target, format_value,
                                          marked)
from portfolio.outputs.icons import assurance_svg, group_svg, icon_svg, icon_words, shown_icons
from portfolio.outputs.meetings import METRIC, PORTFOLIO, TABLE, Step, organisation, running_order

# Pictures are written to the PDF as binary, not ASCII85 text: reportlab's ASCII85 is pure Python
# here, and writing the pack's few hundred pictures that way took a sixth of its time.
rl_config.useA85 = 0

PAGE = landscape(A4)
MARGIN = 14 * mm
FRAME_HEIGHT = PAGE[1] - 12 * mm - 16 * mm
WIDTH = PAGE[0] - 2 * MARGIN
STYLES = getSampleStyleSheet()
BODY = STYLES["BodyText"].clone("pack-body", fontSize=10, leading=13)
SMALL = BODY.clone("pack-small", fontSize=8.5, leading=10.5, textColor=colors.HexColor("#4c6272"))
CELL = BODY.clone("pack-cell", fontSize=8.5, leading=10.5)
HEAD = CELL.clone("pack-head", textColor=colors.white, fontName="Helvetica-Bold")
GROUP = CELL.clone("pack-group", fontName="Helvetica-Bold")
H1 = STYLES["Heading1"].clone("pack-h1", fontSize=18, leading=22, spaceAfter=2, textColor=colors.HexColor("#212b32"))
H2 = STYLES["Heading2"].clone("pack-h2", fontSize=12.5, leading=15, spaceBefore=4, spaceAfter=3)
H3 = STYLES["Heading3"].clone("pack-h3", fontSize=10.5, leading=13, spaceBefore=2, spaceAfter=2)
NHS_BLUE = colors.HexColor("#005EB8")
GRID = colors.HexColor("#AEB7BD")
TONES = {"miss": colors.HexColor("#fde8e8"), "met": colors.HexColor("#e6f4ea")}
TONE = {"not met": "miss", "met": "met"}  # a status → the shade of its cell
LOG = logging.getLogger(__name__)
MIN_ROWS = 3  # a table is never split to leave fewer rows than this on either page
BREAKDOWN_ROWS = 8  # the worst members an exception's breakdown lists


@dataclass
class BoardPack:
    pdf: bytes
    xlsx: bytes
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def board_pack(ws: Workspace, meeting: Meeting) -> BoardPack:
    """The PDF and workbook for ``meeting``; small numbers hidden when the meeting is in public."""
    token = SUPPRESSION.set(ws.config.settings.small_numbers if meeting.public else None)
    try:
        pack = _Pack(ws, meeting)
        buffer = io.BytesIO()
        document = _Document(buffer, _footer(ws, meeting), title=f"Board pack: {meeting.title}",
                             author=ws.config.settings.title, subject=f"Period {Month(meeting.period).label}")
        document.multiBuild(pack.story())
        return BoardPack(buffer.getvalue(), workbook(pack.tables), pack.tables)
    finally:
        SUPPRESSION.reset(token)


# --- the document: one frame a page, a contents page, bookmarks ---------------------------------


class _Document(BaseDocTemplate):
    """A4 landscape, one frame a page, the footer on every page. ``multiBuild`` lays the pack out
    until the contents' page numbers and the page count ("Page n of N") stop changing."""

    def __init__(self, buffer, footer: str, **kwargs):
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=12 * mm,
                         bottomMargin=16 * mm, **kwargs)
        self.footer, self.total = footer, None
        self.addPageTemplates([PageTemplate("page", [Frame(MARGIN, 16 * mm, WIDTH, FRAME_HEIGHT, id="body",
                                                           leftPadding=0, rightPadding=0, topPadding=0,
                                                           bottomPadding=0)], onPage=self._draw_footer)])

    def _draw_footer(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#425563"))
        canvas.drawString(MARGIN, 8 * mm, self.footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"Page {document.page} of {self.total or '…'}")
        canvas.restoreState()

    def _allSatisfied(self):
        stable, self.total = self.total == self.page, self.page
        return super()._allSatisfied() and stable

    def afterFlowable(self, flowable):
        """A heading marked for the contents becomes a contents entry and a PDF bookmark."""
        entry = getattr(flowable, "contents_entry", None)
        if entry is None:
            return
        level, text, key, listed = entry
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if listed:
            self.notify("TOCEntry", (level, escape(text), self.page, key))


def _heading(text: str, level: int, key: str, style=H1, listed: bool = True) -> Paragraph:
    """A heading that is bookmarked and (``listed``) in the contents; level 0: a section, 1: a page."""
    heading = Paragraph(escape(text), style)
    heading.contents_entry = (level, text, key, listed)
    heading.keepWithNext = True
    return heading


def _footer(ws: Workspace, meeting: Meeting) -> str:
    parts = [meeting.title, f"Period: {Month(meeting.period).label}", data_words(ws.data_as_at(), ws.synthetic)]
    if meeting.public:
        rule = ws.config.settings.small_numbers
        parts.append(f"Counts of {rule.low}–{rule.high} shown as {rule.symbol}")
    return " · ".join(part for part in parts if part)


# --- tables that break well ---------------------------------------------------------------------


class BoardTable(Flowable):
    """A table under its heading. Where it does not fit the rest of the page it moves whole to the
    next page when it fits there and this page is already a third full; otherwise it splits, its
    heading ("continued") and header row repeated, with at least ``MIN_ROWS`` rows on each page."""

    def __init__(self, heading: str, header: list, rows: list[list], tones: list[list[str | None]] | None = None,
                 widths: list[float] | None = None, groups: set[int] = frozenset(), continued: bool = False):
        super().__init__()
        self.heading, self.header, self.rows, self.widths, self.groups = heading, header, rows, widths, groups
        self.tones = tones or [[None] * len(header) for _ in rows]
        self.continued = continued
        self._title = Paragraph(escape(heading + (" (continued)" if continued else "")), H3)
        self._table = self._build()

    def _cell(self, value, style):
        return Paragraph(escape(str(value)), style) if isinstance(value, str) else value

    def _build(self) -> Table:
        data = [[self._cell(c, HEAD) for c in self.header]]
        data += [[self._cell(v, GROUP if n in self.groups else CELL) for v in row] for n, row in enumerate(self.rows)]
        table = Table(data, colWidths=self.widths, repeatRows=1, hAlign="LEFT")
        style = [("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE), ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
        style += [("BACKGROUND", (c, r + 1), (c, r + 1), TONES[tone]) for r, line in enumerate(self.tones)
                  for c, tone in enumerate(line) if tone in TONES]
        style += [("SPAN", (0, r + 1), (-1, r + 1)) for r in self.groups]
        style += [("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#f0f4f5")) for r in self.groups]
        table.setStyle(TableStyle(style))
        return table

    def wrap(self, available_width, available_height):
        _, self._title_height = self._title.wrap(available_width, available_height)
        self._table_width, self._table_height = self._table.wrap(available_width, available_height)
        self.width, self.height = available_width, self._title_height + 2 * mm + self._table_height
        return self.width, self.height

    def draw(self):
        self._title.drawOn(self.canv, 0, self.height - self._title_height)
        self._table.drawOn(self.canv, 0, 0)

    def _part(self, first: int, last: int, continued: bool) -> BoardTable:
        return BoardTable(self.heading, self.header, self.rows[first:last], self.tones[first:last], self.widths,
                          {g - first for g in self.groups if first <= g < last}, continued)

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        if self.height <= available_height:
            return [self]
        page_full = 1 - available_height / FRAME_HEIGHT
        if self.height <= FRAME_HEIGHT and page_full >= 1 / 3:
            return []  # moved whole to the next page
        heights = self._table._rowHeights
        room = available_height - self._title_height - 2 * mm - heights[0]
        fitting, used = 0, 0.0
        for height in heights[1:]:
            if used + height > room:
                break
            fitting, used = fitting + 1, used + height
        fitting = min(fitting, len(self.rows) - MIN_ROWS)  # never one or two rows alone on the next page
        if fitting < MIN_ROWS:
            return []
        return [self._part(0, fitting, self.continued), self._part(fitting, len(self.rows), True)]


def _frame_table(name: str, heading: str, frame: pd.DataFrame, tables: dict, tones=None, widths=None) -> list:
    """A data frame as a board table, kept for the workbook under ``name``."""
    tables[name] = frame
    if frame.empty:
        return []
    return [BoardTable(heading, list(frame.columns), [list(map(str, row)) for row in frame.itertuples(index=False)],
                       tones, widths), Spacer(1, 4 * mm)]


# --- pictures -------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _icon_png(svg: str) -> bytes:
    return vl_convert.svg_to_png(svg, scale=2)  # 96 pixels across 5 mm: sharp in print, quick to draw


def _icon(svg: str, size: float = 5 * mm) -> Image:
    return Image(io.BytesIO(_icon_png(svg)), width=size, height=size)


def _icons(summary: MetricSummary, size: float = 5 * mm, words: bool = False) -> list:
    """The summary's two icons as pictures (with their words beside them, where ``words``)."""
    found = []
    for kind, icon in shown_icons(summary):
        found.append(_icon(icon_svg(kind, icon), size))
        if words:
            found.append(Paragraph(escape(icon_words(kind, icon)), CELL))
    return found


def _sparkline(values: list[float], width: float = 28 * mm, height: float = 6 * mm) -> Drawing:
    """The last months' figures as a line, oldest first (as the summary table of an IPR has it)."""
    drawing = Drawing(width, height)
    shown = [v for v in values if v is not None and v == v]
    if len(shown) >= 2:
        low, high = min(shown), max(shown)
        span = (high - low) or 1.0
        step = (width - 2) / (len(shown) - 1)
        points = [c for i, v in enumerate(shown) for c in (1 + i * step, 1 + (v - low) / span * (height - 2))]
        drawing.add(PolyLine(points, strokeColor=NHS_BLUE, strokeWidth=1))
    return drawing


def _spc_picture(ws: Workspace, metric: Metric, org: str, period: str) -> tuple[list, str | None]:
    """The SPC chart of the display window as a picture, and its key; words where there are too few months."""
    spc = ws.engine.spc(metric.id, org, period)
    if spc is None:
        return [Paragraph("Too few months for an SPC chart.", SMALL)], None
    series = ws.engine.series(metric.id, org, end=period)
    chart, key = spc_chart(metric, spc.points, series[series["value"].notna()], period, title=ws.tree[org].name)
    png = vl_convert.vegalite_to_png(chart.properties(width=880, height=230).to_dict(), scale=2)
    return [Image(io.BytesIO(png), width=WIDTH * 0.74, height=WIDTH * 0.74 * 305 / 960, kind="proportional")], key


# --- the pack, in order ---------------------------------------------------------------------------


class _Pack:
    def __init__(self, ws: Workspace, meeting: Meeting):
        self.ws, self.meeting = ws, meeting
        self.org, self.period = organisation(ws.config, meeting), meeting.period
        self.steps = running_order(ws.config, ws.engine, meeting)
        self.summaries = {p.id: ws.engine.portfolio_summaries(p.id, self.org, self.period)
                          for p in ws.config.portfolios}
        self.escalated = exceptions([s for found in self.summaries.values() for s in found])
        self.tables: dict[str, pd.DataFrame] = {}
        self.failed = 0  # pages that could not be drawn

    def story(self) -> list:
        story = self._cover() + [PageBreak()] + self._contents() + [PageBreak()] + self._summary()
        if self.escalated:
            story += [PageBreak(), *self._exceptions()]
        shown = {s.metric.id for s, _ in self.escalated}
        for step in self.steps:
            if step.kind == PORTFOLIO:
                story += [PageBreak(), *self._guarded(step.title, 0, lambda step=step: self._front_sheet(step))]
            elif step.kind == METRIC and step.metric not in shown:
                summary = self.ws.engine.summary(step.metric, self.org, self.period)
                story += [PageBreak(), *self._guarded(step.title, 1, lambda s=summary: self._metric_page(s, level=1))]
                shown.add(step.metric)
            elif step.kind == TABLE and step.part[0] == 1:
                story += [PageBreak(), *self._guarded(step.title, 1, lambda step=step: self._view_table(step))]
        return story

    def _guarded(self, title: str, level: int, build) -> list:
        """A section's pages, or, where they cannot be drawn, a page that says so: the rest of the
        pack is still made."""
        try:
            return build()
        except Exception:
            LOG.exception("the board pack's page %r could not be drawn", title)
            self.failed += 1
            return [_heading(title, level, f"failed-{self.failed}"),
                    Paragraph("This page could not be drawn. The rest of the pack is not affected; the server's "
                              "log says why.", BODY)]

    def _cover(self) -> list:
        ws, meeting = self.ws, self.meeting
        lines = [
            f"{meeting.date:%A %d %B %Y}",
            "Meeting in public: counts small enough to identify people are hidden" if meeting.public else
            "Private session",
            f"Reporting period: {Month(self.period).fy_label}",
            f"Organisation: {ws.tree[self.org].name}",
            data_words(ws.data_as_at(), ws.synthetic),
            f"Prepared {date.today():%d %B %Y}",
        ]
        cover = [Spacer(1, 30 * mm), Paragraph(escape(ws.config.settings.title), H2),
                 _heading(meeting.title, 0, "cover", H1.clone("cover", fontSize=26, leading=32), listed=False),
                 Spacer(1, 8 * mm)]
        cover += [Paragraph(escape(line), BODY.clone("cover-line", fontSize=13, leading=18)) for line in lines]
        if ws.synthetic:
            cover += [Spacer(1, 8 * mm), Paragraph("<b>Synthetic sample data</b>: every figure in this pack is invented, "
                                                   "in realistic ranges, to show the layout.", BODY)]
        return cover

    def _contents(self) -> list:
        contents = TableOfContents(dotsMinLevel=0)
        contents.levelStyles = [BODY.clone("toc0", fontName="Helvetica-Bold", fontSize=10, leading=13, spaceBefore=4),
                                BODY.clone("toc1", fontSize=9, leading=11.5, spaceBefore=0, leftIndent=8 * mm)]
        return [_heading("Contents", 0, "contents", listed=False), contents]

    def _context(self, extracts: set[str] | None = None) -> Paragraph:
        return Paragraph(escape(context_line(self.ws, self.period, self.org, extracts)), SMALL)

    def _summary(self) -> list:
        ws = self.ws
        flow = [_heading("Summary", 0, "summary"), self._context(), Spacer(1, 3 * mm)]
        flow += self._matrix()
        rows, tones, groups = [], [], set()
        for portfolio in ws.config.portfolios:
            groups.add(len(rows))
            rows.append([portfolio.title] + [""] * 6)
            tones.append([None] * 7)
            for s in self.summaries[portfolio.id]:
                if not s.available:
                    continue
                icons = dict(shown_icons(s))
                recent = ws.engine.series(s.metric.id, self.org, end=self.period)["value"].tail(13)
                rows.append([s.metric.label, format_value(s.metric, s.value), format_target(s.metric, s.target),
                             format_status(s.status),
                             _icon(icon_svg("variation", icons["variation"])) if "variation" in icons else "–",
                             _icon(icon_svg("assurance", icons["assurance"])) if "assurance" in icons else "–",
                             _sparkline(mask(s.metric, list(recent)))])
                tones.append([None, TONE.get(s.status)] + [None] * 5)
        header = ["Metric", "Latest", "Target", "Status", "Variation", "Assurance", "Last 13 months"]
        self.tables["Every metric"] = pd.DataFrame([
            {"Portfolio": p.title, "Metric": s.metric.label, "Latest": format_value(s.metric, s.value),
             "Target": format_target(s.metric, s.target), "Status": format_status(s.status),
             **{kind.capitalize(): icon_words(kind, icon) for kind, icon in shown_icons(s)}}
            for p in ws.config.portfolios for s in self.summaries[p.id] if s.available])
        widths = [WIDTH * w for w in (0.40, 0.10, 0.10, 0.10, 0.075, 0.075, 0.15)]
        flow.append(BoardTable("Every metric: latest figure, target and Making Data Count icons", header, rows, tones,
                               widths, groups))
        return flow

    def _matrix(self) -> list:
        """The summary icon matrix: a row per portfolio, a column per variation × assurance."""
        header = ["Portfolio"] + [f"{VARIATION_GROUPS[v]}: {ASSURANCE_GROUPS[a].lower()}" for v, a in MATRIX_CELLS]
        picture_row = [""] + [_icon(group_svg(v)) if a == "pass" or v == "neither" else
                              (_icon(assurance_svg(a)) if a != "no_target" else "") for v, a in MATRIX_CELLS]
        rows, frame = [picture_row], []
        for portfolio in self.ws.config.portfolios:
            cells = icon_matrix(self.summaries[portfolio.id])
            counted = [len(cells[cell]) for cell in MATRIX_CELLS]
            rows.append([portfolio.title, *map(str, counted)])
            frame.append({"Portfolio": portfolio.title, **dict(zip(header[1:], counted))})
        self.tables["Variation and assurance"] = pd.DataFrame(frame)
        found = len(self.escalated)
        return [BoardTable("Variation and assurance: how many metrics in each (Making Data Count)", header, rows,
                           widths=[WIDTH * 0.16] + [WIDTH * 0.84 / len(MATRIX_CELLS)] * len(MATRIX_CELLS)),
                Paragraph(escape(f"{found} metric{'s' if found != 1 else ''} escalated as exceptions, one page each "
                                 "after this summary."), SMALL), Spacer(1, 4 * mm)]

    def _exceptions(self) -> list:
        flow = [_heading("Exceptions", 0, "exceptions", H2)]
        for number, (summary, why) in enumerate(self.escalated):
            if number:
                flow.append(PageBreak())
            flow += self._guarded(summary.metric.label, 1, lambda s=summary, w=why: self._metric_page(s, level=1, why=w))
        return flow

    def _metric_page(self, summary: MetricSummary, level: int, why: str | None = None) -> list:
        """One page: the headline with both icons, the SPC chart, then the narrative beside the
        breakdown that explains the figure."""
        ws, metric = self.ws, summary.metric
        portfolio = ws.config.portfolio_of(metric.id)
        flow = [_heading(metric.label, level, f"metric-{metric.id}"),
                Paragraph(escape(" · ".join(part for part in (portfolio.title, why) if part)), SMALL),
                self._context({metric.source.extract}), Spacer(1, 2 * mm)]
        chip = change(summary)
        headline = [[Paragraph(f"<b>{escape(format_value(metric, summary.value))}</b>", H2),
                     Paragraph(escape(f"Target {format_target(metric, summary.target)} · {format_status(summary.status)}"
                                      if summary.target else format_status(summary.status)), BODY),
                     Paragraph(escape(chip.text or "No change to compare"), BODY), *_icons(summary, 9 * mm, words=True)]]
        flow.append(Table(headline, hAlign="LEFT", style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        picture, key = _spc_picture(ws, metric, self.org, self.period)
        flow += picture + ([Paragraph(escape(key), SMALL)] if key else []) + [Spacer(1, 2 * mm)]
        below = Table([[self._narrative(metric), self._breakdown(metric)]], colWidths=[WIDTH * 0.5, WIDTH * 0.5],
                      style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        # the page is one metric: what is below the chart is made to fit what is left of it
        flow.append(KeepInFrame(WIDTH, FRAME_HEIGHT * 0.36, [below], mode="shrink"))
        return flow

    def _narrative(self, metric: Metric) -> list:
        note = metric_commentary(self.ws.config.folder, metric.id, self.period, self.org)
        if note is None:
            return [Paragraph("Narrative", H3), Paragraph(escape(f"No narrative has been written for "
                                                                 f"{Month(self.period).label}."), SMALL)]
        flow = [Paragraph("Narrative", H3), Paragraph(escape(written_for(note, self.org, self.ws.tree)), SMALL)]
        for heading, text in sections(note.text).items():
            if heading:
                flow.append(Paragraph(escape(heading), H3))
            flow += [Paragraph(escape(line), BODY) for line in plain_lines(text)]
        return flow

    def _breakdown(self, metric: Metric) -> list:
        """The metric for each member of its first breakdown below the organisation, worst first."""
        tree = self.ws.tree
        levels = ("system", *ORG_LEVELS)
        below = [d for d in metric.drill if d not in levels or levels.index(d) > levels.index(tree[self.org].level)]
        for dimension in below:
            frame = self.ws.engine.breakdown(metric.id, self.org, dimension, self.period)
            if len(frame) >= 2:
                break
        else:
            return [Paragraph("Breakdown", H3), Paragraph("No breakdown is reported for this organisation.", SMALL)]
        frame = frame.head(BREAKDOWN_ROWS)
        values = mask(metric, list(frame["value"]))
        targets = [metric.target_for(self.period, code) if dimension in ORG_LEVELS else metric.target_for(self.period)
                   for code in frame["code"]]
        statuses = [status(metric, v, t) for v, t in zip(values, targets)]
        table = pd.DataFrame({key_words(dimension).capitalize(): list(frame["member"]),
                              Month(self.period).label: [format_value(metric, v) if v is not None else "*" for v in values],
                              "Status": [format_status(s) for s in statuses]})
        tones = [[None, TONE.get(s), None] for s in statuses]
        if not any(targets):  # "No target" on every row says nothing
            table = table.drop(columns="Status")
        self.tables[f"{metric.label} by {key_words(dimension)}"] = table
        return [BoardTable(f"By {key_words(dimension)}, worst first", list(table.columns),
                           [list(row) for row in table.itertuples(index=False)], tones,
                           [WIDTH * 0.26, WIDTH * 0.1, WIDTH * 0.1][:len(table.columns)])]

    def _front_sheet(self, step: Step) -> list:
        ws = self.ws
        portfolio = ws.config.portfolio(step.portfolio)
        summaries = self.summaries[portfolio.id]
        flow = [_heading(portfolio.title, 0, f"portfolio-{portfolio.id}"),
                self._context({m.source.extract for m in portfolio.metrics}),
                Paragraph(escape(f"SRO: {portfolio.sro} · Clinical lead: {portfolio.clinical_lead} · "
                                 f"Intelligence analyst: {portfolio.analyst}"), SMALL), Spacer(1, 3 * mm)]
        scores = pd.DataFrame(scoring(portfolio.categories, summaries))
        flow += _frame_table(f"{portfolio.title} scoring", "Scoring by category", scores, self.tables,
                             widths=[WIDTH * 0.2] + [WIDTH * 0.8 / (len(scores.columns) - 1)] * (len(scores.columns) - 1))
        shown = [s for s in summaries if s.available and (s.metric in portfolio.headline_metrics
                                                           or s.metric.is_focus(self.period))]
        rows = [[s.metric.label, format_value(s.metric, s.value), format_target(s.metric, s.target),
                 format_status(s.status), change(s).text or "–", *(_icons(s) + ["", ""])[:2]] for s in shown]
        tones = [[None, TONE.get(s.status)] + [None] * 5 for s in shown]
        self.tables[f"{portfolio.title} headlines"] = pd.DataFrame([row[:5] for row in rows], columns=[
            "Metric", "Latest", "Target", "Status", "Change"])
        if rows:
            flow += [BoardTable("Headline and focus metrics", ["Metric", "Latest", "Target", "Status", "Change", "SPC", ""],
                                rows, tones, [WIDTH * w for w in (0.36, 0.11, 0.11, 0.11, 0.21, 0.05, 0.05)]),
                     Spacer(1, 4 * mm)]
        note = portfolio_commentary(ws.config.folder, portfolio.id, self.period, self.org)
        if note is None:
            flow.append(Paragraph(escape(f"No narrative has been written for {Month(self.period).label}."), SMALL))
        else:
            flow.append(Paragraph(escape(written_for(note, self.org, ws.tree)), SMALL))
            for heading, text in front_sheet_narrative(note).items():  # paragraphs run on over a page, line by line
                flow += [Paragraph(escape(heading), H3.clone("narrative", keepWithNext=True))] if heading else []
                flow += [Paragraph(escape(line), BODY) for line in plain_lines(text)]
        return flow

    def _view_table(self, step: Step) -> list:
        """A standards or heat table view, whole: split over pages by rows, never by columns."""
        ws, period, org = self.ws, self.period, self.org
        view = next(v for v in ws.config.portfolio(step.portfolio).views if v.title == step.view)
        flow = [_heading(view.title, 1, f"table-{step.portfolio}-{re.sub(r'[^a-z0-9]+', '-', view.title.lower())}", H2),
                self._context()]
        if isinstance(view, StandardsView):
            columns = standards_columns(ws.engine, ws.tree, view, org)
            found = standards_table(ws.engine, view.metrics, columns, period)
            header = ["Standard", "Target", *(ws.tree.label(c) for c in columns)]
            rows = [[r.metric.label, format_target(r.metric, r.metric.target_for(period, org)),
                     *(marked(r.metric, *r.cells[c], target=r.metric.target_for(period, c)) for c in columns)]
                    for r in found]
            tones = [[None, None, *(TONE.get(r.cells[c][1]) for c in columns)] for r in found]
        else:
            metric = ws.config.metrics[view.metric]
            table = heat_table(ws.engine, view, org, period)
            header = [view.by.capitalize(), *table.members]
            rows, tones = [], []
            for code in table.codes:
                target = metric.target_for(period, code)
                values = [table.values.get((code, m)) for m in table.members]
                statuses = [status(metric, v, target) for v in values]
                rows.append([ws.tree[code].name, *(marked(metric, v, s, target=target) for v, s in zip(values, statuses))])
                tones.append([None, *(TONE.get(s) for s in statuses)])
        self.tables[view.title] = pd.DataFrame(rows, columns=header)
        return flow + [BoardTable(f"{view.title}, {Month(period).label}", header, rows, tones),
                       Paragraph("✔ and green: meets target · ✘ and red: below it · – no figure this month", SMALL)]


def view_pdf(title: str, context: str, items: list[tuple[str, pd.DataFrame | dict]], author: str) -> bytes:
    """One view of the dashboard as it is shown: its title and context line, then each of its
    charts (a Vega-Lite spec, drawn by vl-convert) and tables (a frame of the figures as shown),
    in order; the context line is also the footer of every page."""
    story = [Paragraph(escape(title), H1), Paragraph(escape(context), SMALL), Spacer(1, 3 * mm)]
    for name, item in items:
        if isinstance(item, dict):
            story += [_chart_picture(item), Spacer(1, 3 * mm)]
        elif not item.empty:
            story += [BoardTable(name, [str(c) for c in item.columns],
                                 [["" if pd.isna(v) else str(v) for v in row] for row in item.itertuples(index=False)]),
                      Spacer(1, 4 * mm)]
    buffer = io.BytesIO()
    _Document(buffer, context, title=title, author=author).multiBuild(story)
    return buffer.getvalue()


def _chart_picture(spec: dict) -> Image:
    """A chart as drawn on the page, as wide as the page allows (a chart the page sizes to its
    column has no width of its own: it is given the page's) and never taller than half of it."""
    spec = dict(spec)
    if not any(key in spec for key in ("width", "facet", "hconcat", "vconcat", "concat", "repeat")):
        spec["width"] = 900
    png = vl_convert.vegalite_to_png(spec, scale=2)
    width, height = ImageReader(io.BytesIO(png)).getSize()
    scale = min(WIDTH / width, FRAME_HEIGHT * 0.5 / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def workbook(tables: dict[str, pd.DataFrame]) -> bytes:
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

