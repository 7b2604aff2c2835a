"""A&E attendances, patient level: time in the department, arrivals by hour and day, 12-hour stays
and deprivation, for the month and organisation chosen above, from the extract named under
``patient_level:`` in settings.yaml. ``?ae_type=1&imd=1`` reproduces the type and decile chosen."""

import streamlit as st

from components.attendance_views import (arrivals_heatmap, by_site, choices, deprivation_chart, deprivation_table,
                                         header, headline, month_shown, open_store, time_in_department_chart,
                                         twelve_hours_by_month)
from components.banners import header_columns
from components.cache import workspace
from components.state import selected_org, selected_period
from portfolio.data.attendances import configured, sites_within

ws = workspace()
period, org = selected_period(), selected_org()
extract = configured(ws.config.settings, ws.data_dir, ws.source)
title_place, control_place = header_columns()  # the type and decile are chosen in the title band
with title_place:
    header(ws, extract, period, org)
store = open_store(ws, extract)
month = month_shown(store, period) if store else None
if month is None:
    st.stop()
sites = sites_within(ws.tree, org)
if sites == ():
    st.caption(f"{ws.tree[org].name} has no A&E sites. Choose the system, a place, an acute trust or a site above.")
    st.stop()
place = ws.tree[org].name
with control_place:
    department_type, decile = choices()
if not headline(store, month, sites, department_type, decile):
    st.stop()

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Time in the department", anchor=False)
    time_in_department_chart(store, month, sites, department_type, decile, place)
with right:
    st.subheader("Arrivals by hour and day of the week", anchor=False)
    arrivals_heatmap(store, month, sites, department_type, decile, place)

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Over 12 hours from arrival, by month", anchor=False)
    twelve_hours_by_month(store, month, sites, department_type, decile, place)
with right:
    st.subheader("By deprivation of the home neighbourhood", anchor=False)
    deprivation_chart(store, month, sites, department_type, place)
deprivation_table(store, month, sites, department_type)

if sites is None or len(sites) > 1:
    st.subheader("By site", anchor=False)
    by_site(ws, store, month, org, sites, department_type, decile)
