"""A map of organisations coloured by status against target. It draws no basemap, so it works on
networks that block map tile servers; the organisations' names are written on it."""

from __future__ import annotations

import base64
import json

import pandas as pd
import pydeck as pdk

from portfolio.config.organisations import OrgTree
from portfolio.config.schema import Metric
from portfolio.figures.judgement import MET, NO_DATA, NO_TARGET, NOT_MET
from portfolio.outputs.formatting import format_status, format_value

STATUS_COLOURS = {MET: [0, 176, 240], NOT_MET: [228, 108, 10], NO_TARGET: [166, 166, 166], NO_DATA: [220, 220, 220]}
STATUS_KEY = {MET: "blue: meets target", NOT_MET: "orange: does not meet it", NO_TARGET: "grey: no target",
              NO_DATA: "pale grey: no figure"}
# deck.gl draws only the characters it is given, ASCII by default, so "£" and "–" would vanish:
# "auto" takes them from the labels. Quoted, as the JSON converter reads a string as an expression.
CHARACTERS = "'auto'"


def map_key(statuses) -> str:
    """What the map's colours mean, for the colours it uses."""
    shown = [STATUS_KEY[s] for s in STATUS_COLOURS if s in set(statuses)]
    return " · ".join(shown).capitalize() + " · no map tiles are loaded"


def coordinates(tree: OrgTree, code: str) -> tuple[float, float] | None:
    """A site's own position; a provider's is the middle of its sites."""
    org = tree[code]
    if org.lat is not None:
        return org.lat, org.lon
    sites = [s for s in tree.children(code) if s.lat is not None]
    if not sites:
        return None
    return sum(s.lat for s in sites) / len(sites), sum(s.lon for s in sites) / len(sites)


# A map style with nothing in it but white paper, given as a data: address so that nothing is
# fetched: without one, Streamlit fills in a basemap style from a tile server (a request an NHS
# network may block, and the page says no tiles are loaded).
NO_BASEMAP = "data:application/json;base64," + base64.b64encode(json.dumps(
    {"version": 8, "sources": {}, "layers": [{"id": "paper", "type": "background",
                                              "paint": {"background-color": "#ffffff"}}]}).encode()).decode()


def status_map(tree: OrgTree, metric: Metric, members: pd.DataFrame, statuses: dict[str, str]) -> pdk.Deck | None:
    """``members`` is an engine breakdown (code, member, value); ``statuses`` maps code → status."""
    rows = []
    for member in members.itertuples():
        where = coordinates(tree, member.code)
        if where is not None:
            status = statuses.get(member.code, NO_DATA)
            # a short name on the map, where space forces it; the full name on hover
            rows.append({"lat": where[0], "lon": where[1], "name": member.member,
                         "label": f"{tree.label(member.code)}: {format_value(metric, member.value)}",
                         "status": format_status(status), "colour": STATUS_COLOURS[status]})
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    view = pdk.ViewState(latitude=frame["lat"].mean(), longitude=frame["lon"].mean(), zoom=8.4)
    dots = pdk.Layer("ScatterplotLayer", data=frame, id="organisations", get_position="[lon, lat]",
                     get_fill_color="colour", get_line_color=[11, 12, 12], line_width_min_pixels=1, stroked=True,
                     radius_min_pixels=9, radius_max_pixels=18, get_radius=1500, pickable=True)
    labels = pdk.Layer("TextLayer", data=frame, id="labels", get_position="[lon, lat]", get_text="label",
                       get_size=14, get_color=[11, 12, 12], get_pixel_offset=[0, -22], get_text_anchor="'middle'",
                       character_set=CHARACTERS, font_family="'Arial'", background=True,
                       get_background_color=[255, 255, 255, 210])
    return pdk.Deck(layers=[dots, labels], initial_view_state=view, map_style=NO_BASEMAP,
                    tooltip={"text": "{name}\n{label}\n{status}"})
