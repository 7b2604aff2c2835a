"""Commentary written by people: Markdown files in the config folder, one per subject and month.

    config/commentary/metrics/<metric id>/<YYYY-MM>.md
    config/commentary/portfolios/<portfolio id>/<YYYY-MM>.md

Those are written for the whole system. Commentary for one organisation (a place, a provider or
a site) sits in a folder named by its code beside them, such as
``config/commentary/portfolios/uec/RBL/2026-10.md``; where an organisation has none, the system's
is shown, and says so.

A portfolio's file holds the front sheet's two narratives under the headings
``## Analyst narrative`` and ``## Lead commentary``.

The file for the reporting month is shown, or else the latest one before it (with its month), so
a narrative written for September still shows in October until October's is written. The text is
rendered as Markdown only, never as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from portfolio.periods import month_label, parse_month

MONTH_FILE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))\.md$")
ORG_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # an organisation code, never a path


@dataclass(frozen=True)
class Commentary:
    period: str  # the month it was written for, YYYY-MM
    text: str
    org: str | None = None  # the organisation it was written for; None for the whole system


def latest_commentary(folder: Path, period: str) -> Commentary | None:
    """The commentary in ``folder`` for ``period``, or the latest before it."""
    if not folder.is_dir():
        return None
    root = folder.resolve()  # a file that is a link to somewhere outside the folder is not read
    months = sorted(m.group(1) for f in folder.iterdir()
                    if (m := MONTH_FILE.match(f.name)) and m.group(1) <= period and f.is_file()
                    and f.resolve().is_relative_to(root))
    if not months:
        return None
    return Commentary(months[-1], (folder / f"{months[-1]}.md").read_text(encoding="utf-8-sig", errors="replace"))


def _own_or_system(folder: Path, period: str, org: str | None) -> Commentary | None:
    """The organisation's own commentary if it has any, else the system's."""
    inside = org and ORG_FOLDER.match(org) and (folder / org).resolve().is_relative_to(folder.resolve())
    if inside and (own := latest_commentary(folder / org, period)):
        return Commentary(own.period, own.text, org)
    return latest_commentary(folder, period)


def metric_commentary(config_folder: Path, metric_id: str, period: str, org: str | None = None) -> Commentary | None:
    return _own_or_system(config_folder / "commentary" / "metrics" / metric_id, period, org)


def portfolio_commentary(config_folder: Path, portfolio_id: str, period: str,
                         org: str | None = None) -> Commentary | None:
    return _own_or_system(config_folder / "commentary" / "portfolios" / portfolio_id, period, org)


def written_for(note: Commentary, org: str, root: str, names: dict[str, str]) -> str:
    """Whom and when a commentary was written for, as its caption says it: "Written for Oct-26", or,
    shown beside an organisation it was not written for, "System commentary for NHS Cheshire and
    Merseyside, written for Oct-26: none has been written for Wirral"."""
    month = month_label(parse_month(note.period))
    if note.org == org or (note.org is None and org == root):
        return f"Written for {month}"
    return f"System commentary for {names[root]}, written for {month}: none has been written for {names[org]}"


def sections(text: str) -> dict[str, str]:
    """Level-2 headings → the Markdown under them; text before the first heading is under ""."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        else:
            found[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in found.items() if "\n".join(lines).strip()}
