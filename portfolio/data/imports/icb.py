"""One ICB's dashboard from NHS England's publications: ``python -m portfolio prepare --icb QYG
--from FOLDER --out FOLDER`` imports every A&E, RTT and diagnostics file found under the first
folder, keeps the ICB's trusts (and the ICB's own commissioner figures for its system), and writes
a config folder (organisations from the ODS files found there, settings, one portfolio) and a data
folder that the dashboard runs on:

    PORTFOLIO_CONFIG=OUT/config PORTFOLIO_DATA=OUT/data python3 -m streamlit run app.py
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from portfolio.data.imports.ods import organisations
from portfolio.data.imports.run import import_files

TEMPLATE = Path(__file__).with_name("nhs_england_portfolio.yaml")
KINDS = {"ae": "ae.csv", "rtt": "rtt.csv", "dm01": "dm01.csv"}
TITLES = {"ae.csv": "A&E attendances and emergency admissions", "rtt.csv": "Consultant-led referral to treatment",
          "dm01.csv": "Diagnostic waiting times and activity (DM01)"}


def prepare(icb: str, source: Path, out: Path) -> list[str]:
    """Write OUT/config and OUT/data for ``icb``; return what was done, a line each."""
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
    reference = [p for p in files if "reference" in p.parts or p.name.lower() in ("etr.csv", "eccg.csv", "hospital.csv")]
    document, notes = organisations(icb, reference)
    system = document["system"]["code"]
    keep = {icb} | {p["code"] for p in document["providers"]} | {s["code"] for s in document["sites"]}
    closed = {p["code"]: p["closed"] for p in document["providers"] if p.get("closed")}
    (out / "config" / "portfolios").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    extracts = {}
    for kind, name in KINDS.items():
        result = import_files(kind, [p for p in files if p not in reference])
        notes += [n for n in result.notes if not n.startswith("skipped")]
        rows = {key: row for key, row in result.rows.items() if key[2] in keep}
        late = [key for key in rows if key[2] in closed and key[1] > closed[key[2]]]
        if late:  # a closed trust's code still reported: ODS says it closed, so the rows are left out
            notes.append(f"{name}: {len(late):,} rows left out for trusts reported after ODS says they closed "
                         f"({', '.join(sorted({key[2] for key in late}))})")
            rows = {key: row for key, row in rows.items() if key not in set(late)}
        for row in rows.values():  # the ICB's commissioner figures are its system's
            if row["org_code"] == icb:
                row["org_code"] = system
        result.rows = {(r["metric_id"], r["period"], r["org_code"], r["breakdown"], r["breakdown_value"]): r
                       for r in rows.values()}
        if result.rows:
            extracts[name] = {"title": TITLES[name], "publisher": "NHS England", "data_as_at": date.today(),
                              "refresh_days": 35}
            notes.append(f"{name}: {result.write(out / 'data' / name):,} rows for {icb}")
    document["providers"] = [p for p in document["providers"] if p["code"] != icb] + [
        {"code": icb, "name": document["providers"][0]["name"], "short_name": f"{icb} ICB", "type": "commissioner"}]
    (out / "config" / "organisations.yaml").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    settings = {"title": f"{document['system']['name']}: NHS England statistics", "extracts": extracts}
    (out / "config" / "settings.yaml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True))
    shutil.copy(TEMPLATE, out / "config" / "portfolios" / "nhs_england.yaml")
    return notes
