"""The patient-level A&E attendances deep dive: the extract's store opened once per version of the
file, and every figure a cached DuckDB query keyed on small values only (the store's path, months,
sites, department type and decile). Charts get the aggregated rows, at most 168 of them."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from components import exported
from components.cache import cached
from components.filters import url_synced
from components.state import interactive, on_select, request_drill
from portfolio.config.months import Month
from portfolio.data import attendances
from portfolio.data.attendances import (DECILES, DEPARTMENT_TYPES, FOUR_HOURS, TWELVE_HOURS, Months, PatientExtract,
                                        Sites, StoreReport)
from portfolio.data.engines import ATTENDANCES_TABLE, EMBEDDED, engine
from portfolio.data.sources import Unreachable, reach
from portfolio.data.storage import store_folder
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import NHS_BLUE
from portfolio.outputs.formatting import data_words

OVER_4_HOURS = "#41B6E6"  # NHS light blue: over 4 hours, up to 12
OVER_12_HOURS = "#ED8B00"  # NHS orange
OVER_4_HOURS_ALL = "#330072"  # NHS purple: over 4 hours, 12-hour stays included (not the light blue of 4 to 12)
WAITS = {"Within 4 hours": NHS_BLUE, "4 to 12 hours": OVER_4_HOURS, "Over 12 hours": OVER_12_HOURS}
TREND_MONTHS = 12
CHART_HEIGHT = 320
TYPE_KEY, DECILE_KEY = "ae_type", "imd"  # session state and URL keys of the two choices
TITLE = "A&E attendances (patient level)"
ALL = "all"


# --- cached on small keys ------------------------------------------------------------------------


@cached(max_entries=4, ttl=24 * 3600, spinner="Reading the patient-level A&E extract (once for each version of "
                                                "the file)…")
def _store(source: str, data_dir: str, size: int, modified_ns: int, site_codes: tuple[str, ...]) -> str:
    # size and modified_ns are part of the key: a file that changed is looked at again, and its store
    # rebuilt if its content did
    path, _ = attendances.store_for(Path(source), store_folder(Path(data_dir)), site_codes)
    return str(path)


@cached(max_entries=4)
def _report(store: str) -> StoreReport:
    return attendances.read_report(store)


@cached(max_entries=4)
def _months_held(store: str) -> list[str]:
    return attendances.months_held(store)


@cached(max_entries=512)
def _counts(store: str, months: Months, sites: Sites, department_type: int | None, imd_decile: int | None,
            by: str | None) -> pd.DataFrame:
    return attendances.counts(store, months, sites, department_type, imd_decile, by)


@cached(max_entries=256)
def _time_in_department(store: str, month: str, sites: Sites, department_type: int | None,
                        imd_decile: int | None) -> pd.DataFrame:
    return attendances.time_in_department(store, month, sites, department_type, imd_decile)


@cached(max_entries=256)
def _arrivals_by_hour(store: str, month: str, sites: Sites, department_type: int | None,
                      imd_decile: int | None) -> pd.DataFrame:
    return attendances.arrivals_by_hour(store, month, sites, department_type, imd_decile)


# --- the page's parts ----------------------------------------------------------------------------


def header(ws: Workspace, extract: PatientExtract | None, period: str, org: str) -> None:
    """The title, and the period, organisation, data as at and whether the data are synthetic."""
    st.title(TITLE, anchor=False)
    parts = [f"Period: {Month(period).fy_label}", f"Organisation: {ws.tree[org].name}"]
    if extract is not None:
        parts.append(data_words(extract.info.data_as_at, extract.info.synthetic))
    st.caption(" · ".join(parts))
    exported.titled(TITLE, " · ".join(parts))


def open_store(ws: Workspace, extract: PatientExtract | None) -> str | None:
    """The store of the configured extract (built on first use), or None after saying why not."""
    if extract is None:
        st.caption("No patient-level A&E extract is set up for this dashboard.")
        return None
    if extract.source != EMBEDDED:
        return _warehouse_store(ws, extract)
    if extract.path is None or not extract.path.is_file():
        # the file name and what to do are for the analyst: python -m portfolio check says them
        st.warning("The patient-level A&E extract could not be found, so there is nothing to show here.",
                   icon=":material/warning:")
        return None
    stat = extract.path.stat()
    key = (str(extract.path), str(ws.data_dir), stat.st_size, stat.st_mtime_ns, attendances.site_codes(ws.tree))
    store = _store(*key)
    if not Path(store).exists():  # the store folder was cleared while the dashboard ran
        _store.clear()
        store = _store(*key)
    _stale_warning(ws, extract)
    _problems(_report(store))
    return store


def _warehouse_store(ws: Workspace, extract: PatientExtract) -> str | None:
    """The URL of the warehouse holding the attendances, or None after saying they cannot be read
    (what to fix is for the analyst: python -m portfolio check says it)."""
    try:
        url = reach(extract.source).url
    except Unreachable:
        st.warning("The patient-level A&E attendances are kept in a warehouse the dashboard cannot reach just now, "
                   "so there is nothing to show here.", icon=":material/warning:")
        return None
    if not engine(url).has_table(ATTENDANCES_TABLE):
        st.warning("The warehouse that is to hold the patient-level A&E attendances has none yet, so there is "
                   "nothing to show here.", icon=":material/warning:")
        return None
    _stale_warning(ws, extract)
    return url


def _stale_warning(ws: Workspace, extract: PatientExtract) -> None:
    info = extract.info
    if info.data_as_at + timedelta(days=info.refresh_days + ws.config.settings.stale_grace_days) < date.today():
        st.warning(f"**{info.title}** is out of date: data as at {info.data_as_at:%d %b %Y}, "
                   f"expected every {info.refresh_days} days.", icon=":material/schedule:")


def _problems(report: StoreReport) -> None:
    if not report.problems:
        return
    left_out = report.rows_read - report.rows_loaded
    st.warning(f"{left_out:,} of the {report.rows_read:,} rows of {report.file} were left out because of problems; "
               "the figures below are from the other rows." if left_out else
               f"{report.file} has {len(report.problems)} warnings; every row was loaded.", icon=":material/warning:")
    with st.expander("What to fix in the file"):
        exported.dataframe(pd.DataFrame({"Line": [p.line for p in report.problems],
                                   "Column": [p.location.partition("column ")[2] for p in report.problems],
                                   "Problem": [p.message for p in report.problems]}),
                           "What to fix in the file", hide_index=True, key="attendance-problems")


def month_shown(store: str, period: str) -> str | None:
    """The reporting period, or the extract's latest month before it; None after saying why not."""
    held = _months_held(store)
    earlier = [month for month in held if month <= period]
    if not earlier:
        st.info("The patient-level extract has no attendances " + (
            f"before {_label(held[0])}: choose a reporting period from then on." if held else "that could be loaded."),
            icon=":material/info:")
        return None
    if earlier[-1] != period:
        st.info(f"The patient-level extract has no attendances in {_label(period)}; its latest month before that, "
                f"{_label(earlier[-1])}, is shown.", icon=":material/info:")
    return earlier[-1]


def choices() -> tuple[int | None, int | None]:
    """The department type and deprivation decile chosen (None for all), kept in the URL."""
    types, deciles = [ALL, *map(str, DEPARTMENT_TYPES)], [ALL, *map(str, DECILES)]
    left, right = st.columns(2)
    with left:
        chosen_type = url_synced(
            st.selectbox, "A&E department type", types, TYPE_KEY, ALL, lambda v: f"the department type {v}",
            format_func=lambda v: "All types" if v == ALL else DEPARTMENT_TYPES[int(v)], disabled=not interactive())
    with right:
        chosen_decile = url_synced(
            st.selectbox, "Deprivation decile (IMD)", deciles, DECILE_KEY, ALL, lambda v: f"the decile {v}",
            format_func=_decile_option, disabled=not interactive(),
            help="Of the patient's home postcode, from the English Index of Multiple Deprivation: 1 is the most "
                 "deprived tenth of neighbourhoods, 10 the least.")
    return (None if chosen_type == ALL else int(chosen_type)), (None if chosen_decile == ALL else int(chosen_decile))


def headline(store: str, month: str, sites: Sites, department_type: int | None, imd_decile: int | None) -> bool:
    """The four headline figures for the month; False (after saying so) when there are no attendances."""
    total = _counts(store, month, sites, department_type, imd_decile, None).to_dict("records")[0]
    if total["attendances"] == 0:
        st.info(f"No attendances in {_label(month)} for this choice.", icon=":material/info:")
        return False
    columns = st.columns(4)
    columns[0].metric(f"Attendances, {_label(month)}", f"{total['attendances']:,}")
    columns[0].caption("All department types" if department_type is None else DEPARTMENT_TYPES[department_type])
    columns[1].metric("Within 4 hours", _percent(total["pct_within_4h"]),
                      help="Share of attendances that left the department within 4 hours of arrival.")
    columns[1].caption(f"{total['within_4h']:,} attendances")
    columns[2].metric("Over 12 hours from arrival", f"{total['over_12h']:,}",
                      help="Attendances that spent more than 12 hours in the department from arrival.")
    columns[2].caption(f"{_percent(total['pct_over_12h'])} of attendances")
    columns[3].metric("Admitted", _percent(total["pct_admitted"]),
                      help="Share of attendances admitted to a hospital bed.")
    columns[3].caption(f"{total['admitted']:,} attendances")
    st.caption("Recorded patient by patient at the sites that send these records: a subset of the attendances in the "
               "monthly A&E figures, so these counts and rates differ from those on the urgent and emergency care page.")
    return True


def time_in_department_chart(store: str, month: str, sites: Sites, department_type: int | None,
                             imd_decile: int | None, place: str) -> None:
    bands = _time_in_department(store, month, sites, department_type, imd_decile)
    data = bands.assign(
        start=bands["from_minutes"] / 60, end=bands["from_minutes"] / 60 + 0.5,
        wait=pd.cut(bands["from_minutes"], [-1, FOUR_HOURS - 1, TWELVE_HOURS - 1, float("inf")],
                    labels=list(WAITS)).astype(str))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("start:Q", title="Hours in the department (30-minute bands)", scale=alt.Scale(domain=[0, 24.5]),
                axis=alt.Axis(values=list(range(0, 25, 2)), labelExpr="datum.value == 24 ? '24+' : datum.value")),
        x2="end:Q",
        y=alt.Y("attendances:Q", title="Attendances"),
        y2=alt.datum(0),
        color=alt.Color("wait:N", title=None, scale=alt.Scale(domain=list(WAITS), range=list(WAITS.values())),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title="Time in department"),
                 alt.Tooltip("attendances:Q", title="Attendances", format=","),
                 alt.Tooltip("percent:Q", title="% of attendances", format=".1f"),
                 alt.Tooltip("cumulative_percent:Q", title="% left by then", format=".1f")],
    ).properties(height=CHART_HEIGHT)
    within = bands.loc[bands["from_minutes"] < FOUR_HOURS, "attendances"].sum() / bands["attendances"].sum() * 100
    exported.chart(chart, key="time-in-department",
                    alt=f"Bar chart of attendances by time in the department in 30-minute bands for {place}, "
                        f"{_label(month)}: {within:.1f}% within 4 hours.")
    st.caption(f"{within:.1f}% left within 4 hours. The last bar is every stay over 24 hours.")


def arrivals_heatmap(store: str, month: str, sites: Sites, department_type: int | None,
                     imd_decile: int | None, place: str) -> None:
    cells = _arrivals_by_hour(store, month, sites, department_type, imd_decile)
    chart = alt.Chart(cells).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("hour:O", title="Hour of arrival", axis=alt.Axis(labelAngle=0, values=list(range(0, 24, 3)))),
        y=alt.Y("day:O", title=None, sort=list(attendances.WEEKDAYS)),
        color=alt.Color("attendances:Q", title="Arrivals", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="right", gradientLength=160)),
        tooltip=[alt.Tooltip("day:N", title="Day"), alt.Tooltip("hour:O", title="Hour from"),
                 alt.Tooltip("attendances:Q", title="Arrivals", format=",")],
    ).properties(height=CHART_HEIGHT)
    busiest = cells.loc[cells["attendances"].idxmax()].to_dict()
    day, hour = calendar.day_name[int(busiest["weekday"]) - 1], int(busiest["hour"])
    text = f"Busiest hour: {day} {hour:02d}:00–{hour + 1:02d}:00, {busiest['attendances']:,} arrivals in the month."
    exported.chart(chart, key="arrivals-heatmap",
                    alt=f"Heat map of arrivals by hour of the day and day of the week for {place}, {_label(month)}. "
                        + text)
    st.caption(text)


def twelve_hours_by_month(store: str, month: str, sites: Sites, department_type: int | None,
                          imd_decile: int | None, place: str) -> None:
    first = Month(month) - (TREND_MONTHS - 1)
    by_month = _counts(store, (first, month), sites, department_type, imd_decile, "month")
    data = by_month.assign(label=[_label(m) for m in by_month["month"]],
                           shown=[_percent(p) for p in by_month["pct_over_12h"]])
    chart = alt.Chart(data).mark_bar(color=OVER_12_HOURS).encode(
        x=alt.X("label:O", title=None, sort=list(data["label"]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("over_12h:Q", title="Attendances over 12 hours"),
        tooltip=[alt.Tooltip("label:N", title="Month"), alt.Tooltip("over_12h:Q", title="Over 12 hours", format=","),
                 alt.Tooltip("shown:N", title="% of attendances")],
    ).properties(height=CHART_HEIGHT)
    exported.chart(chart, key="twelve-hours",
                    alt=f"Bar chart of attendances over 12 hours from arrival by month for {place}, "
                        f"{data['label'].iloc[0]} to {data['label'].iloc[-1]}.")
    st.caption("More than 12 hours in the department from arrival, counted in the month of arrival.")


def deprivation_chart(store: str, month: str, sites: Sites, department_type: int | None, place: str) -> None:
    """The share over 4 hours and over 12 hours in each deprivation decile (every decile, whichever
    is chosen above)."""
    deciles = _counts(store, month, sites, department_type, None, "imd_decile")
    known = deciles[deciles["imd_decile"].notna()]
    long_form = pd.concat([
        pd.DataFrame({"decile": known["imd_decile"].astype(int), "measure": "Over 4 hours",
                      "percent": 100 - known["pct_within_4h"]}),
        pd.DataFrame({"decile": known["imd_decile"].astype(int), "measure": "Over 12 hours",
                      "percent": known["pct_over_12h"]})])
    chart = alt.Chart(long_form).mark_bar().encode(
        x=alt.X("decile:O", title="Deprivation decile (1 = most deprived)", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=["Over 4 hours", "Over 12 hours"]),
        y=alt.Y("percent:Q", title="% of attendances"),
        color=alt.Color("measure:N", title=None, sort=["Over 4 hours", "Over 12 hours"],
                        scale=alt.Scale(range=[OVER_4_HOURS_ALL, OVER_12_HOURS]), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("decile:O", title="Decile"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("percent:Q", title="% of attendances", format=".1f")],
    ).properties(height=CHART_HEIGHT)
    exported.chart(chart, key="deprivation",
                    alt=f"Bar chart of the share of attendances over 4 hours and over 12 hours by deprivation decile "
                        f"for {place}, {_label(month)}.")
    st.caption("Every decile, whichever is chosen above.")


def deprivation_table(store: str, month: str, sites: Sites, department_type: int | None) -> None:
    deciles = _counts(store, month, sites, department_type, None, "imd_decile")
    _rates_table(deciles, "Deprivation decile", [_decile_option(d) for d in deciles["imd_decile"]],
                 key="deprivation-table")
    if deciles["imd_decile"].isna().any():
        st.caption("Not known: no home postcode, or one outside England.")


def by_site(ws: Workspace, store: str, month: str, org: str, sites: Sites, department_type: int | None,
            imd_decile: int | None) -> None:
    """Each site's figures; choosing a row shows that site on its own."""
    rows = _counts(store, month, sites, department_type, imd_decile, "site_code")
    rows = rows.assign(name=[ws.tree[code].name for code in rows["site_code"]]).sort_values("name", ignore_index=True)
    event = _rates_table(rows, "Site", list(rows["name"]), key=f"sites-{org}-{month}", on_select=on_select(),
                         selection_mode="single-row")
    picked = event.selection.rows if interactive() else []
    if picked:
        request_drill(rows["site_code"].iloc[picked[0]])
    if interactive():
        st.caption("Choose a site to look at it on its own.")


def _rates_table(counts: pd.DataFrame, name: str, labels: list[str], **dataframe):
    """The counts and rates of each row, as numbers (so they sort), formatted by the table."""
    table = pd.DataFrame({name: labels, "Attendances": counts["attendances"], "Within 4 hours": counts["pct_within_4h"],
                          "Over 12 hours": counts["over_12h"], "Over 12 hours (%)": counts["pct_over_12h"],
                          "Admitted": counts["pct_admitted"]})
    percent = st.column_config.NumberColumn(format="%.1f%%")
    return exported.dataframe(table, f"Attendances by {name.lower()}", hide_index=True,
                              height="content", column_config={
        "Attendances": st.column_config.NumberColumn(format="localized"), "Within 4 hours": percent,
        "Over 12 hours": st.column_config.NumberColumn(format="localized"), "Over 12 hours (%)": percent,
        "Admitted": percent}, **dataframe)


def _decile_option(value: str | float) -> str:
    if value == ALL:
        return "All deciles"
    if pd.isna(value):
        return "Not known"
    decile = int(value)
    return {1: "1 (most deprived)", 10: "10 (least deprived)"}.get(decile, str(decile))


def _label(month: str) -> str:
    return Month(month).label


def _percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1f}%"
