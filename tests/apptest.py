"""Helpers for driving the dashboard with Streamlit's AppTest."""

import json
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

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
    """Switch to a page by its URL path: a portfolio's page is a function bound to the portfolio,
    with no file of its own to name (AppTest.switch_page takes a file)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info["url_pathname"] == url_path)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]


def chart_unit(spec: dict) -> str:
    """What a chart says its figures are in: its subtitle, else its value axis's title."""
    subtitle = spec.get("title", {}).get("subtitle")
    if subtitle:
        return subtitle if isinstance(subtitle, str) else " ".join(subtitle)
    for layer in spec.get("layer", [spec]):
        for channel in ("x", "y"):
            encoding = layer.get("encoding", {}).get(channel, {})
            if encoding.get("type") == "quantitative" and encoding.get("title"):
                return encoding["title"]
    return ""


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


class _TableParser(HTMLParser):
    """The tables of ``components.html_table``: their caption, the last header row's headings and
    each body row, with the links in it and the group heading it sits under."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._links = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "columns": [], "rows": [], "group": None})
        elif tag == "tr":
            self._row, self._links = [], []
        elif tag in ("th", "td"):
            self._cell = {"text": "", "note": "", "scope": attrs.get("scope"), "tag": tag,
                          "class": attrs.get("class") or ""}
        elif tag == "span" and attrs.get("class") == "note" and self._cell is not None:
            self._cell["in_note"] = True
        elif tag == "caption":
            self._cell = {"text": "", "scope": "caption"}
        elif tag == "a" and self._links is not None:
            self._links.append(attrs["href"])
        elif tag == "img" and self._cell is not None:
            self._cell["text"] += f"[{attrs.get('alt', '')}]"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["note" if self._cell.get("in_note") else "text"] += data

    def handle_endtag(self, tag):
        table = self.tables[-1] if self.tables else None
        if tag == "span" and self._cell is not None:
            self._cell.pop("in_note", None)
        elif tag == "caption":
            table["caption"], self._cell = self._cell["text"], None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if all(c["scope"] in ("col", "colgroup") for c in self._row):
                table["columns"] = [c["text"] for c in self._row]
            elif len(self._row) == 1 and self._row[0]["scope"] == "rowgroup":
                table["group"] = self._row[0]["text"]
            else:
                table["rows"].append({"cells": [c["text"] for c in self._row], "links": self._links,
                                      "notes": [c["note"] for c in self._row], "group": table["group"],
                                      "classes": [c["class"] for c in self._row]})
            self._row = None


def html_tables(at: AppTest) -> list[dict]:
    """Every table the page drew as HTML: caption, columns and rows (cells, links, the smaller notes
    under cells, group, classes)."""
    parser = _TableParser()
    for element in at.get("html"):
        parser.feed(element.proto.body)
    return parser.tables


def table_frame(table: dict) -> pd.DataFrame:
    """A table's rows as a frame indexed by its first column, with a "Group" column."""
    frame = pd.DataFrame([row["cells"] for row in table["rows"]], columns=table["columns"])
    return frame.assign(Group=[row["group"] for row in table["rows"]]).set_index(table["columns"][0])


def query_of(link: str) -> dict[str, str]:
    """The query parameters of a relative link."""
    return dict(parse_qsl(urlsplit(link).query))
