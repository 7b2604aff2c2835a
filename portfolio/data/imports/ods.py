"""Organisation reference files → the entries of config/organisations.yaml for one ICB: the ODS
"NHS Trusts" file (etr: codes, names, the ICB each reports to, postcode, open and close dates),
the ONS ICB lookup (the ICB's name and ONS code), and site coordinates from the NHS hospital file
(``¬``-delimited, Latin-1) or a postcode lookup. A trust's type is not in ODS: it is guessed from
its name and should be checked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from portfolio.config.files import shown
from portfolio.data.imports.published import UnknownLayout, read_text

TYPE_WORDS = (("AMBULANCE", "ambulance"), ("MENTAL HEALTH", "mental_health"), ("PARTNERSHIP", "mental_health"),
              ("MERSEY CARE", "mental_health"), ("COMMUNITY", "community"), ("CHILDREN", "specialist"),
              ("CANCER", "specialist"), ("HEART AND CHEST", "specialist"), ("WALTON CENTRE", "specialist"),
              ("WOMEN", "specialist"))


def _rows(path: Path) -> list[list[str]]:
    """The file's rows that are not blank, split on "¬" in the hospital file and on commas otherwise;
    UnknownLayout, naming the file and what is wrong, for anything but a CSV file."""
    name = shown(path.name)
    try:
        text, _ = read_text(path)
        delimiter = "¬" if "¬" in text[:400] else ","
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    except UnknownLayout as error:
        raise UnknownLayout(f"{name} {error}") from None
    except csv.Error as error:
        raise UnknownLayout(f"{name} is not a readable CSV file ({error})") from None
    if not rows:
        raise UnknownLayout(f"{name} is empty")
    return rows


def kind_of(rows: list[list[str]]) -> str:
    """Which reference file these rows are, from the first."""
    head = rows[0]
    if {"OrganisationCode", "ParentODSCode", "Latitude", "Longitude"} <= set(head):
        return "hospitals"
    if head[:2] == ["ICB24CD", "ICB24CDH"]:
        return "icb_lookup"
    if [h.strip().lower() for h in head[:3]] == ["pcds", "lat", "long"]:
        return "postcodes"
    if len(head) >= 20 and head[10].isdigit() and len(head[10]) == 8:
        return "ods"  # etr (trusts) or eccg (sub-ICB locations): the same headerless layout
    raise UnknownLayout("not a reference file this import knows (etr, eccg, the ONS ICB lookup, "
                        "Hospital.csv or a postcode lookup)")


def _whole(name: str, rows: list[list[str]]) -> list[list[str]]:
    """The rows, when none is shorter than the first: a file cut short ends in a short row, whose
    missing cells would otherwise be read as blank."""
    for number, row in enumerate(rows, start=1):
        if len(row) < len(rows[0]):
            raise UnknownLayout(f"{name}: row {number} has {len(row)} of the {len(rows[0])} columns of its first "
                                "row, so the file looks cut short: download it again")
    return rows


def _point(lat: str, lon: str) -> tuple[float, float] | None:
    """A site's latitude and longitude ("-8.19E-2" reads too), when both are numbers within Great Britain."""
    try:
        lat_lon = float(lat), float(lon)
    except ValueError:
        return None
    return lat_lon if 49 <= lat_lon[0] <= 61 and -8.7 <= lat_lon[1] <= 2 else None


def _title(name: str) -> str:
    """"WIRRAL UNIVERSITY TEACHING HOSPITAL NHS FOUNDATION TRUST" → "Wirral University … NHS Foundation Trust"."""
    words = name.lower().split()
    return " ".join(w.upper() if w in ("nhs", "icb") else (w if i and w in ("and", "of", "the", "for") else w.capitalize())
                    for i, w in enumerate(words))


def short_name(name: str) -> str:
    return _title(name.replace(" NHS FOUNDATION TRUST", "").replace(" NHS TRUST", ""))


def organisations(icb: str, files: list[Path]) -> tuple[dict, list[str]]:
    """The organisations.yaml document for ``icb`` (an ODS ICB code such as QYG) and notes."""
    by_kind: dict[str, list[list[list[str]]]] = {}  # each kind's files, as their rows
    notes = []
    for path in files:
        rows = _rows(path)
        try:
            kind = kind_of(rows)
        except UnknownLayout as error:
            notes.append(f"skipped {path.name}: {error}")
            continue
        by_kind.setdefault(kind, []).append(_whole(path.name, rows))
    trusts = [row for rows in by_kind.get("ods", []) for row in rows
              if len(row[0]) == 3 and row[0].startswith("R") and row[3] == icb]
    if not trusts:
        raise UnknownLayout("; ".join([f"no NHS trust in the ODS files reports to '{icb}' (column 4 of etr.csv)",
                                       *notes]))
    lookup = {row[1]: row for rows in by_kind.get("icb_lookup", []) for row in rows[1:]}
    ons_code, name = (lookup[icb][0], lookup[icb][2]) if icb in lookup else (icb, f"ICB {icb}")
    postcodes = {row[0].strip(): point for rows in by_kind.get("postcodes", []) for row in rows[1:]
                 if (point := _point(row[1], row[2]))}
    providers, sites = [], []
    seen = set()
    for row in sorted(trusts, key=lambda r: r[0]):
        if row[0] in seen:
            continue
        seen.add(row[0])
        entry = {"code": row[0], "name": _title(row[1]), "short_name": short_name(row[1]),
                 "type": next((t for word, t in TYPE_WORDS if word in row[1].upper()), "acute"),
                 "postcode": row[9].strip()}
        if row[11].strip():
            entry["closed"] = f"{row[11][:4]}-{row[11][4:6]}"
        providers.append(entry)
        if row[9].strip() in postcodes and not by_kind.get("hospitals"):
            lat, lon = postcodes[row[9].strip()]
            sites.append({"code": f"{row[0]}-HQ", "name": f"{short_name(row[1])} (main site)", "provider": row[0],
                          "lat": round(lat, 5), "lon": round(lon, 5)})
    codes = {p["code"] for p in providers}
    for rows in by_kind.get("hospitals", []):
        for row in rows[1:]:
            record = dict(zip(rows[0], row))
            point = _point(record["Latitude"], record["Longitude"])  # a site with none is left out
            if record["ParentODSCode"] in codes and point and record.get("Sector") == "NHS Sector":
                sites.append({"code": record["OrganisationCode"], "name": record.get("OrganisationName", ""),
                              "provider": record["ParentODSCode"], "lat": round(point[0], 5),
                              "lon": round(point[1], 5)})
    notes.append(f"{name}: {len(providers)} trusts, {len(sites)} sites")
    document = {"system": {"code": ons_code, "name": _title(name).replace("Integrated Care Board", "").strip()
                           or name, "short_name": icb},
                "providers": [{"code": icb, "name": _title(name), "short_name": f"{icb} ICB", "type": "commissioner"},
                              *providers],
                "sites": sites}
    return document, notes
