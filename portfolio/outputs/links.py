"""The dashboard's URL paths, each defined once: ``components.routes`` registers every page on its
path, and every link to a page (a table cell, a tile, a slide) names the page by it. A portfolio's
page is at the portfolio's id; the overview is the dashboard's root."""

from __future__ import annotations

from urllib.parse import urlencode

OVERVIEW = ""
DEEP_DIVE = "deep-dive"  # one metric: ?metric=ID&org=CODE, and &part=dimension:member for one member
ATTENDANCES = "attendances"
ABOUT = "about"
MEETINGS = "meetings"


def portfolio_path(portfolio_id: str) -> str:
    return portfolio_id


def href(url_path: str, params: dict[str, str]) -> str:
    """A relative link to the page at ``url_path`` carrying ``params`` ("./?…" for the overview)."""
    return f"{url_path or './'}?{urlencode(params)}"
