"""About the data: every metric's definition and targets, every extract's coverage and problems."""

import pandas as pd
import streamlit as st

from components import exported
from components.cache import workspace
from portfolio.config.months import Month
from portfolio.outputs.formatting import axis_unit, data_words, format_count, format_target

ws = workspace()
st.title("About the data", anchor=False)
exported.titled("About the data", data_words(ws.data_as_at(), ws.synthetic))
if ws.synthetic:
    st.caption("This dashboard is running on synthetic sample data: the figures are invented, in realistic ranges.")

st.subheader("Extracts", anchor=False)
exported.table(pd.DataFrame([{
    "File": r.file,
    "Title": r.info.title if r.info else "not described in the settings",
    "Publisher": r.info.publisher if r.info else "",
    "Covers": f"{Month(r.first_period).label} to {Month(r.last_period).label}"
              if r.first_period else "no rows",
    "Rows loaded": format_count(r.rows_loaded),
    "Rows with problems": format_count(r.rows_read - r.rows_loaded),
    "Data as at": f"{r.info.data_as_at:%d %b %Y}" if r.info else "",
    "Refreshed": ("monthly" if 28 <= r.info.refresh_days <= 31 else f"every {r.info.refresh_days} days")
                 if r.info else "",
} for r in ws.extracts]), "Extracts", hide_index=True)

problems = ws.problems
st.subheader(f"Validation problems ({len(problems)})", anchor=False)
if problems:
    exported.dataframe(pd.DataFrame([{
        "Severity": p.severity, "File": p.file, "Line or row": p.line, "Where": p.location, "Problem": p.message,
    } for p in problems]), "Validation problems", hide_index=True, key="problems")
else:
    st.success("Every configuration file and extract passed validation.", icon=":material/check_circle:")

st.subheader("Metrics", anchor=False)
for portfolio in ws.config.portfolios:
    with st.expander(f"{portfolio.title}: {len(portfolio.metrics)} metrics"):
        exported.table(pd.DataFrame([{
            "Metric": m.label,
            "Definition": m.definition,
            "Shown in": "hh:mm:ss" if m.style == "hhmmss" else axis_unit(m)[1],
            "Better when": {"increase": "higher", "decrease": "lower", "neutral": "not judged"}[m.improvement],
            "Targets": "; ".join(f"{format_target(m, t)} ({t.source})" for t in m.targets) or "none",
            "Owner": m.owner,
            "Id": m.id,
        } for m in portfolio.metrics]), f"{portfolio.title} metrics", hide_index=True)
