"""Helpers for driving the dashboard with Streamlit's AppTest."""

import json

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def start(monkeypatch, config, data) -> AppTest:
    monkeypatch.setenv("PORTFOLIO_CONFIG", str(config))
    monkeypatch.setenv("PORTFOLIO_DATA", str(data))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def navigation(at: AppTest) -> dict[str, str]:
    """The pages registered by st.navigation: URL path → title (run the app first)."""
    return {info["url_pathname"]: info["page_name"] for info in at._registered_pages.values()}


def open_page(at: AppTest, url_path: str) -> AppTest:
    """Switch to a page by its URL path: every portfolio shares one page file, so the file path
    alone cannot name one (AppTest.switch_page takes a file)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info["url_pathname"] == url_path)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The rows a chart was drawn from (Streamlit sends them beside the spec, as Arrow)."""
    chart = (at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"))[index]
    return pd.concat([pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets], ignore_index=True)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def deep_dive(monkeypatch, config, data, **query) -> AppTest:
    """The deep-dive page opened by a link carrying ``query`` (metric=…, period=…, drill=…)."""
    at = start(monkeypatch, config, data)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return open_page(at, "deep-dive").run()
