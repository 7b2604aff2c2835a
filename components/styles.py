"""The dashboard's own CSS, in one place: a compact page for a shared 1280×720 screen, the tables
drawn by ``components.html_table``, and presenter mode's larger type. Streamlit's theme
(``.streamlit/config.toml``) sets the colours, fonts and top padding; this adds only what the theme
cannot: the side padding and the tables."""

from __future__ import annotations

import streamlit as st

# Wide layout keeps 5rem each side; 2.5rem gives a 1280-pixel screen 80 more pixels of figures.
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-left: 2.5rem !important; padding-right: 2.5rem !important; }
[data-testid="stMain"] h1 { padding: 0.25rem 0 0.3rem !important; line-height: 1.25 !important; }
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
# figures with it (2rem: 36 px). Streamlit's header, toolbar and sidebar are hidden.
PRESENTER_CSS = """
<style>
html { font-size: 18px; }
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: 2rem !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem !important; }
</style>
"""


def apply_page_styles(presenting: bool = False) -> None:
    st.html(PAGE_CSS + (PRESENTER_CSS if presenting else ""))
