"""Organisation reference files → the entries of config/organisations.yaml for one ICB: the ODS
"NHS Trusts" file (etr: codes, names, the ICB each reports to, postcode, open and close dates),
the ONS ICB lookup (the ICB's name and ONS code), and site coordinates from the NHS hospital file
(``¬``-delimited, Latin-1) or a postcode lookup. A trust's type is not in ODS: it is guessed from
its name and should be checked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from portfolio.extracts import decode
from portfolio.imports.published import UnknownLayout

TYPE_WORDS = (("AMBULANCE", "ambulance"), ("MENTAL HEALTH", "mental_health"), ("PARTNERSHIP", "mental_health"),
              ("MERSEY CARE", "mental_health"), ("COMMUNITY", "community"), ("CHILDREN", "specialist"),
              ("CANCER", "specialist"), ("HEART AND CHEST", "specialist"), ("WALTON CENTRE", "specialist"),
              ("WOMEN", "specialist"))


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    text, _ = decode(path.read_bytes())
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def kind_of(path: Path) -> str:
    """Which reference file this is, from its first line."""
    first = path.read_bytes()[:400]
    if b"\xac" in first:
        return "hospitals"
    head = _rows(path)[0]
    if head[:2] == ["ICB24CD", "ICB24CDH"]:
        return "icb_lookup"
    if [h.strip().lower() for h in head[:3]] == ["pcds", "lat", "long"]:
        return "postcodes"
    if len(head) >= 20 and head[10].isdigit() and len(head[10]) == 8:
        return "ods"  # etr (trusts) or eccg (sub-ICB locations): the same headerless layout
    raise UnknownLayout("not a reference file this import knows (etr, eccg, the ONS ICB lookup, "
                        "Hospital.csv or a postcode lookup)")


def _title(name: str) -> str:
    """"WIRRAL UNIVERSITY TEACHING HOSPITAL NHS FOUNDATION TRUST" → "Wirral University … NHS Foundation Trust"."""
    words = name.lower().split()
    return " ".join(w.upper() if w in ("nhs", "icb") else (w if i and w in ("and", "of", "the", "for") else w.capitalize())
                    for i, w in enumerate(words))


def short_name(name: str) -> str:
    return _title(name.replace(" NHS FOUNDATION TRUST", "").replace(" NHS TRUST", ""))


def organisations(icb: str, files: list[Path]) -> tuple[dict, list[str]]:
    """The organisations.yaml document for ``icb`` (an ODS ICB code such as QYG) and notes."""
    by_kind: dict[str, list[Path]] = {}
    notes = []
    for path in files:
        try:
            by_kind.setdefault(kind_of(path), []).append(path)
        except (UnknownLayout, IndexError) as error:
            notes.append(f"skipped {path.name}: {error}")
    trusts = [row for path in by_kind.get("ods", []) for row in _rows(path)
              if len(row[0]) == 3 and row[0].startswith("R") and row[3] == icb]
    if not trusts:
        raise UnknownLayout(f"no NHS trust in the ODS files reports to '{icb}' (column 4 of etr.csv)")
    lookup = {row[1]: row for path in by_kind.get("icb_lookup", []) for row in _rows(path)[1:]}
    ons_code, name = (lookup[icb][0], lookup[icb][2]) if icb in lookup else (icb, f"ICB {icb}")
    postcodes = {row[0].strip(): (float(row[1]), float(row[2])) for path in by_kind.get("postcodes", [])
                 for row in _rows(path)[1:] if row[1] and row[2]}
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
    for path in by_kind.get("hospitals", []):
        rows = _rows(path, delimiter="¬")
        header = rows[0]
        for row in rows[1:]:
            record = dict(zip(header, row))
            if record.get("ParentODSCode") in codes and record.get("Latitude") and record.get("Sector") == "NHS Sector":
                lat, lon = float(record["Latitude"]), float(record["Longitude"])  # "-8.19E-2" reads too
                if 49 <= lat <= 61 and -8.7 <= lon <= 2:
                    sites.append({"code": record["OrganisationCode"], "name": record["OrganisationName"],
                                  "provider": record["ParentODSCode"], "lat": round(lat, 5), "lon": round(lon, 5)})
    notes.append(f"{name}: {len(providers)} trusts, {len(sites)} sites")
    document = {"system": {"code": ons_code, "name": _title(name).replace("Integrated Care Board", "").strip()
                           or name, "short_name": icb},
                "providers": [{"code": icb, "name": _title(name), "short_name": f"{icb} ICB", "type": "commissioner"},
                              *providers],
                "sites": sites}
    return document, notes
