"""Plan-against-actual views (the finance tables of a board pack): the position by organisation,
the income and expenditure statement with its lines, the waterfall from plan to outturn, and the
cumulative trajectory. Money in £m to one decimal place, costs and deficits in brackets."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components import exported
from components.cache import cached
from components.marks import cell_style
from portfolio.config.months import Month
from portfolio.config.schema import ORG_LEVELS, Metric, Portfolio, ViewSpec, key_words
from portfolio.figures.judgement import rounds_to_nothing
from portfolio.figures.positions import Position, Step, bases_note, basis_of, cumulative, lines, positions, waterfall
from portfolio.figures.reconcile import Check, reconcile
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import NHS_BLUE, PLAN_GREY, TARGET_RED, titled, value_axis
from portfolio.outputs.formatting import (MISS, axis_unit, format_percent, format_target, format_value, format_variance,
                                          marked)

COLUMN_WORDS = {"plan": "Plan", "actual": "Actual", "variance": "Variance", "percent_of_plan": "% of plan",
                "year_plan": "Full-year plan", "underspend": "Under / (over)spend", "target": "Target"}
RECONCILE_HELP = ("Checked on the rows of the extracts as loaded: each total row against its breakdown rows, each "
                  "organisation's row against the rows of the organisations within it, and each declared "
                  "identity (such as surplus = income + pay + non-pay + non-operating items).")
MARKS_NOTE = "✔ meets its target · ✘ and red: a deficit, a missed target or worse than plan"
MONEY_NOTE = "£m · costs and deficits in brackets"


def table_note(frame: pd.DataFrame, money: bool) -> str:
    """What a finance table's marks and brackets mean, for those it has."""
    marked_any = frame.map(lambda v: isinstance(v, str) and (MISS in v or "✔" in v)).to_numpy().any()
    return " · ".join([*([MONEY_NOTE] if money else []), *([MARKS_NOTE] if marked_any else [])])


@cached(max_entries=256)
def cached_positions(ws: Workspace, metric_ids: tuple[str, ...], org: str, level: str, period: str
                     ) -> dict[str, dict[str, Position]]:
    return positions(ws.engine, list(metric_ids), org, level, period)


@cached(max_entries=16)
def cached_reconciliation(ws: Workspace, portfolio_id: str) -> list[Check]:
    return reconcile(ws.engine, ws.config.portfolio(portfolio_id))


def _cell(position: Position, column: str) -> str:
    metric = position.metric
    if column == "actual":
        return marked(metric, position.actual, position.status, show_met=bool(metric.targets), target=position.target)
    if column == "variance":
        return format_variance(metric, position.variance) + (f" {MISS}" if position.adverse else "")
    if column == "underspend":
        return format_variance(metric, position.underspend)
    if column == "percent_of_plan":
        return format_percent(position.percent_of_plan)
    value = {"plan": position.plan, "year_plan": position.year_plan}[column]
    return format_value(metric, value) if value is not None else "–"


def _applies(metric: Metric, column: str, table: dict[str, dict[str, Position]]) -> bool:
    """A column is left out for a metric that has nothing to put in it (no plan, no target)."""
    cells = [row[metric.id] for row in table.values() if metric.id in row]
    if column in ("plan", "variance", "underspend", "percent_of_plan"):
        return any(p.plan is not None for p in cells)
    if column == "year_plan":
        return basis_of(metric) == "ytd" and any(p.year_plan is not None for p in cells)
    return column != "target"  # a target goes in the heading of the figure it applies to


def heading(metric: Metric, column: str, shown: list[str], period: str) -> str:
    """"Surplus plan", "Surplus actual", "FOT", "Recurrent % of plan", "Agency % (target ≤ 3.2%)":
    the metric's short label and the column; a snapshot's own figure, or a figure with no plan
    beside it, is the label alone, with the target when the view shows targets."""
    if column != "actual":
        return f"{metric.heading} {COLUMN_WORDS[column].lower()}"
    words = metric.heading if basis_of(metric) == "month" or "plan" not in shown else f"{metric.heading} actual"
    target = metric.target_for(period)
    return f"{words} (target {format_target(metric, target)})" if "target" in shown and target else words


def position_frame(ws: Workspace, view: ViewSpec, table: dict[str, dict[str, Position]], period: str) -> pd.DataFrame:
    """Organisations down (by short name); for each metric, the chosen columns."""
    metrics = [ws.config.metrics[m] for m in view.metrics]
    columns = [(m, [c for c in view.show if _applies(m, c, table)]) for m in metrics]
    data = {heading(m, c, view.show, period): [_cell(row[m.id], c) if m.id in row else "–" for row in table.values()]
            for m, shown in columns for c in shown}
    return pd.DataFrame(data, index=pd.Index([ws.tree.label(key) for key in table], name="Organisation"))


def _first_row_bold(frame: pd.DataFrame) -> pd.DataFrame:
    """The selected organisation (the total) in bold, as a finance table prints it."""
    return pd.DataFrame([["font-weight: 700"] * frame.shape[1] if i == 0 else [""] * frame.shape[1]
                         for i in range(len(frame))], index=frame.index, columns=frame.columns)


def position_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """The position by organisation; with ``dimension``, by that breakdown too; with
    ``cumulative``, the year to date month by month against plan."""
    table = cached_positions(ws, tuple(view.metrics), org, view.by, period)
    if not any(row for row in table.values()):
        st.caption(f"Not reported for {ws.tree[org].name}.")
        return
    frame = position_frame(ws, view, table, period)
    exported.table(frame.style.map(cell_style).apply(_first_row_bold, axis=None), view.title)
    money = any(ws.config.metrics[m].unit == "gbp" for m in view.metrics)
    st.caption(" · ".join(part for part in (Month(period).label,
                                            bases_note([ws.config.metrics[m] for m in view.metrics], period),
                                            table_note(frame, money)) if part))
    if view.dimension:
        _by_dimension(ws, view, org, period)
    if view.cumulative:
        _cumulative_chart(ws, view, org, period)


def _by_dimension(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    """The same columns for each member of the breakdown (scheme category) within the organisation."""
    metric_ids = tuple(m for m in view.metrics if view.dimension in ws.config.metrics[m].drill)
    table = cached_positions(ws, metric_ids, org, view.dimension, period)
    if len(table) < 2:
        return
    words = key_words(view.dimension)
    st.markdown(f"**By {words}, {ws.tree[org].name}**")
    frame = position_frame(ws, view.model_copy(update={"metrics": list(metric_ids)}), table, period)
    frame.index.name = words.capitalize()
    exported.table(frame.style.map(cell_style).apply(_first_row_bold, axis=None), f"{view.title} by {words}")


def _cumulative_chart(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    frames = []
    for metric_id in view.metrics:
        found = cumulative(ws.engine, metric_id, org, period)
        frames.append(found.assign(metric=ws.config.metrics[metric_id].heading))
    data = pd.concat(frames, ignore_index=True)
    if data.empty:
        return
    metric = ws.config.metrics[view.metrics[0]]
    factor, unit = axis_unit(metric)
    data = data.assign(month=pd.to_datetime(data["period"]), plotted=data["value"] / factor,
                       shown=[format_value(metric, v) for v in data["value"]])
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0,
                                                   tickCount={"interval": "month", "step": 1}))
    names = [ws.config.metrics[m].heading for m in view.metrics]
    drawn = [s for s in ("Actual", "Plan", "Forecast") if s in set(data["series"])]
    chart = alt.Chart(data).mark_line(strokeWidth=3).encode(
        x=x, y=alt.Y("plotted:Q", **value_axis(metric, data["plotted"], f"{unit}, year to date")),
        color=alt.Color("metric:N", title=None, sort=names,
                        scale=alt.Scale(domain=names, range=[NHS_BLUE, "#00A499", "#AE2573", "#ED8B00"]),
                        legend=alt.Legend(orient="top", symbolType="stroke")),
        strokeDash=alt.StrokeDash("series:N", title=None, sort=drawn,
                                  scale=alt.Scale(domain=drawn, range=[{"Actual": [1, 0], "Plan": [2, 2],
                                                                        "Forecast": [6, 3]}[s] for s in drawn]),
                                  legend=alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=3)),
        detail="series:N",
        tooltip=[alt.Tooltip("metric:N", title="Metric"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title="Year to date")],
    ).properties(height=300, title=titled(f"Year to date month by month, {ws.tree[org].name}", unit))
    exported.chart(chart, alt=f"Line chart of the year to date of {', '.join(d for d in data['metric'].unique())} "
                               f"for {ws.tree[org].name}, {', '.join(s.lower() for s in drawn)}, by month of the "
                               "financial year.")


def statement_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """Lines down, organisations across (as a board finance table), with a choice of actual, plan
    or variance; then each line that has a breakdown (non-pay by expenditure line)."""
    table = cached_positions(ws, tuple(view.metrics), org, view.by, period)
    if not any(row for row in table.values()):
        st.caption(f"Not reported for {ws.tree[org].name}.")
        return
    statement = st.container()  # the table first; the choice of figures under it
    figure = st.segmented_control("Figures", ["Actual", "Plan", "Variance"], default="Actual",
                                  key=f"statement-{view.title}", label_visibility="collapsed") or "Actual"
    column = figure.lower()
    frame = pd.DataFrame(
        {ws.tree.label(code): [_cell(row[m], column) if m in row else "–" for m in view.metrics]
         for code, row in table.items()},
        index=pd.Index([ws.config.metrics[m].label for m in view.metrics], name=f"{figure}, year to date"))
    exported.table(frame.style.map(cell_style).map(lambda _: "font-weight: 700", subset=[frame.columns[0]]),
                   f"{view.title}, {figure.lower()}", into=statement)
    st.caption(f"{Month(period).label} · year to date to M{Month(period).fy_number} · "
               f"{table_note(frame, money=True)}")
    for metric_id in view.metrics:
        metric = ws.config.metrics[metric_id]
        for dimension in (d for d in metric.drill if d not in ORG_LEVELS):
            found = lines(ws.engine, metric_id, org, view.by, dimension, period)
            if found.empty:
                continue
            words = key_words(dimension)
            st.markdown(f"**{metric.label} by {words}, year to date**")
            shown = found.map(lambda v: format_value(metric, v) if pd.notna(v) else "–")
            shown.loc["Total"] = [_cell(table[code][metric_id], "actual") if metric_id in table.get(code, {}) else "–"
                                  for code in found.columns]
            shown.columns = [ws.tree.label(code) for code in found.columns]
            shown.index.name = words.capitalize()
            exported.table(shown, f"{metric.label} by {words}")


def waterfall_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """From the plan to the actual or forecast: a bar for each organisation's variance."""
    metric = ws.config.metrics[view.metric]
    steps = waterfall(ws.engine, view.metric, org, view.by, period)
    if not steps:
        st.caption(f"{metric.label}: no plan and actual for {ws.tree[org].name} in {Month(period).label}.")
        return
    exported.chart(waterfall_chart(metric, steps, view.title, f"{ws.tree[org].name} · {bases_note([metric], period)}"),
                    alt=f"Waterfall chart of {metric.label} for {ws.tree[org].name}: from the plan of "
                        f"{format_value(metric, steps[0].end)} to {format_value(metric, steps[-1].end)}, "
                        "a bar for each organisation's variance.")


def waterfall_chart(metric: Metric, steps: list[Step], title: str, subtitle: str) -> alt.Chart:
    factor, unit = axis_unit(metric)
    better = {"increase": 1, "decrease": -1}.get(metric.improvement, 0)
    data = pd.DataFrame({
        "label": [s.label for s in steps],
        "name": [s.name or s.label for s in steps],
        "low": [min(s.start, s.end) / factor for s in steps],
        "high": [max(s.start, s.end) / factor for s in steps],
        "kind": ["Total" if s.kind == "total" else "On plan" if rounds_to_nothing(metric, s.amount) else
                 "Better than plan" if s.amount * better > 0 else "Worse than plan" if s.amount * better < 0 else "Change"
                 for s in steps],
        "shown": [format_value(metric, s.end) if s.kind == "total" else format_variance(metric, s.amount)
                  for s in steps],
    })
    colours = {kind: colour for kind, colour in (("Total", NHS_BLUE), ("Better than plan", "#007F3B"),
                                                 ("Worse than plan", TARGET_RED), ("On plan", PLAN_GREY),
                                                 ("Change", PLAN_GREY))
               if kind in set(data["kind"])}
    x = alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=-35, labelLimit=160))
    bars = alt.Chart(data).mark_bar().encode(
        x=x, y=alt.Y("low:Q", **value_axis(metric, [*data["low"], *data["high"]])), y2="high:Q",
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title="Step"), alt.Tooltip("shown:N", title=metric.label)])
    labels = alt.Chart(data).mark_text(dy=-8, color="#212B32").encode(
        x=x, y=alt.Y("high:Q"), text="shown:N")
    return alt.layer(bars, labels).properties(height=360, title=titled(title, f"{unit} · {subtitle}"))


def reconciled_note(ws: Workspace, portfolio_id: str) -> None:
    """One quiet line at the foot of the page when every figure adds up."""
    checks = cached_reconciliation(ws, portfolio_id)
    if all(c.passed for c in checks):
        st.caption(f":material/check_circle: Figures reconcile: {sum(c.compared for c in checks):,} totals checked "
                   "against their parts.", help=f"{RECONCILE_HELP} Checks: {'; '.join(c.name.lower() for c in checks)}.")


def reconciliation_banner(ws: Workspace, portfolio_id: str) -> None:
    """A loud error at the top of the page, naming the extract and rows, when the figures do not add up."""
    checks = cached_reconciliation(ws, portfolio_id)
    failed = [c for c in checks if not c.passed]
    if not failed:
        return
    count = sum(len(c.mismatches) for c in failed)
    st.error(f"**The figures do not add up: {count:,} mismatch{'es' if count != 1 else ''}.** Totals are shown as "
             "reported; correct the extract rows named below.", icon=":material/error:")
    with st.expander("Where the figures do not add up", expanded=True):
        for check in failed:
            st.markdown(f"**{check.name}** ({len(check.mismatches):,} of {check.compared:,} totals)")
            st.text("\n".join(m.describe() for m in check.mismatches[:20]) +
                    (f"\n… and {len(check.mismatches) - 20:,} more" if len(check.mismatches) > 20 else ""))
