"""The scorecard: Metric | 2019/20 | each month of the financial year | Year to date | Target |
Progress | SPC, as the UEC dashboard prototype lays it out, grouped by category in one table that
fits a 1280-pixel screen. Each metric's name opens its deep dive."""

from __future__ import annotations

import streamlit as st

from components.html_table import Cell, html_table
from components.marks import marked_cell
from components.state import link
from portfolio.config.months import Month
from portfolio.figures.judgement import year_to_date_status, year_to_date_withheld
from portfolio.figures.scorecard import BASELINE_YEAR, ScorecardRow, optional_columns
from portfolio.figures.suppression import SUPPRESSION
from portfolio.outputs.formatting import MISS, change, format_target, format_value
from portfolio.outputs.icons import icon_pairs
from portfolio.outputs.links import DEEP_DIVE

DENSE_MONTHS = 8  # from M9 the months need smaller type to fit a 1280-pixel screen


def _row(row: ScorecardRow, shown: set[str]) -> list[Cell]:
    metric, summary = row.metric, row.summary
    # an annual figure (reported each March) may fall outside the months shown: said under the name
    outside = summary.value is not None and summary.value_period not in row.months
    note = (f"Latest: {format_value(metric, summary.value)} ({Month(summary.value_period).label})"
            if outside else row.measure_note)
    cells = [Cell(("★ " if row.focus else "") + metric.label, link=link(DEEP_DIVE, metric=metric.id), note=note)]
    if "baseline" in shown:
        cells.append(Cell(format_value(metric, row.baseline) if row.baseline is not None else "–"))
    for month, (value, status) in row.months.items():
        cells.append(marked_cell(metric, value, status, metric.target_for(month, summary.org_code), show_met=False))
    if "ytd" in shown:  # withheld where a month beside it is a hidden count (subtraction would give it away)
        cells.append(Cell(SUPPRESSION.get().symbol) if year_to_date_withheld(metric, [v for v, _ in row.months.values()]) else
                     marked_cell(metric, summary.fytd, year_to_date_status(summary), summary.target, show_met=False))
    chip = change(summary)
    cells += [Cell(format_target(metric, summary.target), keep=True),
              Cell("–" if outside else chip.short, help=chip.text or None, keep=True),
              Cell("" if summary.judged_by_spc else "–", icons=icon_pairs(summary))]
    return cells


def scorecard_grid(rows: list[ScorecardRow], categories: list[str], title: str) -> None:
    if not rows:
        return
    shown = optional_columns(rows)
    months = [Month(m).label for m in rows[0].months]
    columns = ["Metric", *([BASELINE_YEAR] if "baseline" in shown else []), *months,
               *(["Year to date"] if "ytd" in shown else []), "Target", "Progress", "SPC"]
    groups = [(category, [_row(r, shown) for r in rows if r.metric.category == category]) for category in categories]
    html_table(columns, [(heading, found) for heading, found in groups if found], caption=f"{title} scorecard",
               dense=len(months) > DENSE_MONTHS)
    st.caption(f"{MISS} and red: below target · ★ focus metric this month · – no figure · "
               + (f"{BASELINE_YEAR}: a typical month of that year · " if "baseline" in shown else "")
               + "Progress: the latest month against the month before, judged by which way is better · "
                 "SPC: the Making Data Count variation and assurance icons (hover for their words)")
