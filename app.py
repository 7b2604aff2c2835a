"""Entry point: the shared filters, the navigation, and the page the user chose."""

import streamlit as st

from components.banners import data_warnings
from components.exported import new_view, offer_downloads
from components.filters import shared_filters
from components.presenter import asked_to_present, share_and_present, start_presenting, stop_presenting
from components.state import DEEP_DIVE, workspace
from components.styles import apply_page_styles

# a local icon: a Material icon name would be fetched from a font server that NHS networks may block
st.set_page_config(page_title="Portfolio performance", page_icon="assets/icon.png", layout="wide")

ws = workspace()
new_view()  # nothing shown yet: the page's tables and charts are kept for "Download" as it draws them
PORTFOLIO_PAGE = "app_pages/portfolio.py"

portfolio_pages = [
    st.Page(PORTFOLIO_PAGE, title=p.title, icon=p.icon or ":material/dashboard:", url_path=p.id)
    for p in ws.config.portfolios
]
sections = {
    "": [st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True)],
    "Portfolios": [*portfolio_pages, st.Page("app_pages/attendances.py", title="A&E attendances (patient level)",
                                             icon=":material/emergency:", url_path="attendances")],
    "About": [
        st.Page("app_pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
        st.Page("app_pages/meetings.py", title="Board meetings", icon=":material/slideshow:", url_path="meetings"),
        st.Page(DEEP_DIVE, title="Deep dive", icon=":material/query_stats:", url_path="deep-dive",
                visibility="hidden"),
    ],
}
presenting = asked_to_present() and bool(ws.engine.periods)
apply_page_styles(presenting)
navigation = st.navigation(position="hidden" if presenting else "top", pages=sections)
pages = {page.url_path: page for section in sections.values() for page in section}
if not ws.engine.periods:
    st.error("No extract rows could be loaded, so there is nothing to show. See *About the data* for the problems.")
    data_warnings(ws)
    if navigation.url_path != "about":
        st.stop()
elif presenting:
    if start_presenting(ws):
        st.stop()  # a meeting's slide is drawn: it says its own data as at, and the page is not drawn
    data_warnings(ws)
else:
    stop_presenting()
    shared_filters(ws, extra=share_and_present)
    data_warnings(ws)
# the portfolio page is one file shared by every portfolio: tell it which one it is showing
st.session_state["portfolio_id"] = navigation.url_path
st.session_state["pages"] = pages
navigation.run()
offer_downloads(ws.config.settings.title)  # in the place the filter band left, now the page is drawn
