"""Entry point: the shared filters, the navigation, and the page the user chose."""

import streamlit as st

from app_pages.portfolio import portfolio_page
from components.banners import data_warnings
from components.cache import start_run
from components.exported import new_view, offer_downloads
from components.filters import shared_filters
from components.presenter import asked_to_present, share_and_present, start_presenting, stop_presenting
from components.routes import sections
from components.styles import apply_page_styles
from portfolio.outputs.links import ABOUT

# a local icon: a Material icon name would be fetched from a font server that NHS networks may block
st.set_page_config(page_title="Portfolio performance", page_icon="assets/icon.png", layout="wide")

ws = start_run()  # the folders' fingerprint, once for the run: the workspace, loaded again when a file changed
new_view()  # nothing shown yet: the page's tables and charts are kept for "Download" as it draws them
presenting = asked_to_present() and bool(ws.engine.periods)
apply_page_styles(presenting)
navigation = st.navigation(position="hidden" if presenting else "top", pages=sections(ws, portfolio_page))
if not ws.engine.periods:
    st.error("No extract rows could be loaded, so there is nothing to show. See *About the data* for the problems.")
    data_warnings(ws)
    if navigation.url_path != ABOUT:
        st.stop()
elif presenting:
    if start_presenting(ws):
        st.stop()  # a meeting's slide is drawn: it says its own data as at, and the page is not drawn
    data_warnings(ws)
else:
    stop_presenting()
    shared_filters(ws, extra=share_and_present)
    data_warnings(ws)
navigation.run()
offer_downloads(ws.config.settings.title)  # in the place the filter band left, now the page is drawn
