"""The dashboard's own CSS, in one place: a compact page for a shared 1280×720 screen, the tables
drawn by ``components.html_table``, and presenter mode's larger type. Streamlit's theme
(``.streamlit/config.toml``) sets the colours, fonts and top padding; this adds only what the theme
cannot: the side padding and the tables."""

from __future__ import annotations

import streamlit as st

# Wide layout keeps 5rem each side; 2.5rem gives a 1280-pixel screen 80 more pixels of figures.
# Where Streamlit offers a stable hook (a container's key gives it the class st-key-<key>) the CSS
# uses it; a data-testid selector is left only where no key reaches, said beside it.
PAGE_CSS = """
<style>
/* Streamlit's page container, which holds every element: no key reaches it */
[data-testid="stMainBlockContainer"] { padding-left: 2.5rem !important; padding-right: 2.5rem !important; }
/* every page's title: st.title, drawn by several components, takes no key */
[data-testid="stMain"] h1 { padding: 0.25rem 0 0.3rem !important; line-height: 1.25 !important; }
/* the panel inside st.tabs: the tabs' key marks the whole strip, not the panel */
[data-testid="stTabPanel"] { padding-top: 0.5rem !important; }
.pp-table td { white-space: nowrap; }
.pp-dense td:not(.keep) { white-space: normal; }
.pp-table { border-collapse: collapse; width: 100%; font-size: 0.875rem; line-height: 1.3; }
.pp-table caption { caption-side: top; text-align: left; font-weight: 700; font-size: 1rem; padding: 0 0 0.3rem; }
.pp-table th, .pp-table td { border-bottom: 1px solid #d8dde0; padding: 0.3rem 0.4rem; text-align: right;
  vertical-align: middle; }
.pp-table thead th { background: #f0f4f5; border-bottom: 2px solid #425563; font-weight: 700; vertical-align: bottom; }
.pp-table .name { text-align: left; }
.pp-table th.name[scope="row"] { font-weight: 400; }
.pp-table tbody th[scope="rowgroup"] { text-align: left; background: #f8fafa; font-weight: 700; padding-top: 0.5rem; }
.pp-table .note { display: block; color: #4c6272; font-size: 0.8rem; }
.pp-keep { white-space: nowrap; }
.pp-table .miss { background: #fde8e8; color: #a4161a; font-weight: 700; }
.pp-table .met { background: #e6f4ea; color: #0b6b2b; }
.pp-table .strong { font-weight: 700; }
.pp-table td.keep, .pp-table th.keep { white-space: nowrap; }
.pp-table img { vertical-align: middle; }
.pp-table thead img { display: block; margin: 0 auto 0.15rem; }
.pp-dense { font-size: 0.75rem; }
.pp-dense th, .pp-dense td { padding: 0.3rem 0.25rem; }
.pp-dense img { width: 22px; height: 22px; }
.pp-dense th.name { min-width: 10rem; font-size: 0.8125rem; }
.pp-matrix th, .pp-matrix td { text-align: center; }
.pp-matrix th.name { text-align: left; }
.pp-matrix td { font-size: 1rem; }
.pp-table a { color: #005eb8; }
.pp-table a:hover, .pp-table a:focus { color: #003087; }
</style>
"""
# Larger type for a shared screen: everything scales from the root size (18 px, not 16), headline
# figures with it (2rem: 36 px). Streamlit's header, toolbar and sidebar are hidden. A meeting's
# slide is drawn at its own sizes (below), for a 1280×720 screen and half as large again at
# 1920×1080; the First and Last buttons are there only for the Home and End keys.
PRESENTER_CSS = """
<style>
html { font-size: 18px; }
/* Streamlit's own header, toolbar and sidebar: outside the app's elements, so no key reaches them */
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"] { display: none !important; }
/* the figure of every st.metric: st.metric takes no key */
[data-testid="stMetricValue"] { font-size: 2rem !important; }
/* Streamlit's page container, which holds every element: no key reaches it */
[data-testid="stMainBlockContainer"] { padding-top: 0.75rem !important; padding-bottom: 0 !important; }
.st-key-slide-first, .st-key-slide-last { display: none !important; }
/* the bar stays one line, however long the meeting's title, so the slide below it still fits */
.st-key-presenter-words { flex: 1 1 0; min-width: 0; }
.st-key-presenter-words p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pp-slide { font-size: 24px; line-height: 1.3; color: #212b32; display: flex; flex-direction: column; gap: 12px;
  overflow-wrap: break-word;
  min-height: calc(100vh - 86px); }
.pp-slide h1 { font-size: 34px !important; line-height: 1.15 !important; margin: 0; padding: 0 !important;
  font-weight: 700; }
.pp-slide h2 { font-size: 24px; line-height: 1.25; margin: 0; padding: 0; font-weight: 700; }
.pp-slide p { margin: 0; font-size: 24px; }
.pp-slide-body { display: flex; flex-direction: column; gap: 12px; }
.pp-slide-footer { margin-top: auto !important; color: #4c6272; border-top: 1px solid #d8dde0; padding-top: 4px; }
.pp-slide-note { color: #4c6272; }
.pp-slide-columns { display: grid; grid-template-columns: 1.35fr 1fr; gap: 28px; align-items: start; }
.pp-slide-tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pp-slide-tile { border: 1px solid #d8dde0; border-radius: 8px; padding: 8px 12px; }
.pp-slide-value { font-size: 52px !important; font-weight: 700; line-height: 1.1; display: flex; align-items: center;
  gap: 6px; }
.pp-slide-value img.pp-icon { width: 44px; height: 44px; }
.pp-slide-when { font-size: 24px; font-weight: 400; }
.pp-slide-change.better { color: #0b6b2b; }
.pp-slide-change.worse { color: #a4161a; }
.pp-slide-narrative { display: flex; flex-direction: column; gap: 4px; }
.pp-slide-narrative h2 { color: #005eb8; margin-top: 6px; }
.pp-slide-chart figure { margin: 0; }
.pp-slide-chart img.pp-slide-spc { width: 100%; height: auto; display: block; }
.pp-slide-chart figcaption { color: #4c6272; }
.pp-slide-metric .pp-slide-columns { grid-template-columns: 1.15fr 1fr; }
.pp-slide-metric .pp-slide-figure { display: flex; align-items: baseline; gap: 24px; flex-wrap: wrap; }
.pp-slide .pp-table { font-size: 24px; line-height: 1.25; }
/* the slide's title says what the table is: its caption is kept for screen readers only */
.pp-slide .pp-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  font-size: 24px; }
.pp-slide .pp-table td { white-space: normal; }
.pp-slide .pp-table td.keep, .pp-slide .pp-table td.miss, .pp-slide .pp-table td.met, .pp-keep { white-space: nowrap; }
.pp-slide .pp-table .note { font-size: 24px; }
.pp-slide .pp-table th, .pp-slide .pp-table td { padding: 4px 8px; }
.pp-slide .pp-table img { width: 36px; height: 36px; }
.pp-slide .pp-matrix td { font-size: 28px; }
@media (min-width: 1800px) and (min-height: 1000px) {
  .pp-slide { zoom: 1.5; min-height: calc((100vh - 86px) / 1.5); }
}
</style>
"""


def apply_page_styles(presenting: bool = False) -> None:
    st.html(PAGE_CSS + (PRESENTER_CSS if presenting else ""))
