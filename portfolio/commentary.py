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

from portfolio.orgs import OrgTree
from portfolio.periods import month_label

MONTH_FILE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))\.md$")
ORG_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # an organisation code, never a path
MAX_BYTES = 100_000  # a narrative is a few hundred words; a file far longer is shortened, not read whole


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
    with (folder / f"{months[-1]}.md").open("rb") as file:  # never more than a narrative's worth read
        raw = file.read(MAX_BYTES + 1)
    text = raw[:MAX_BYTES].decode("utf-8-sig", errors="replace")
    if len(raw) > MAX_BYTES:
        text += "\n\n*(Shortened: the file is too long to show in full.)*"
    return Commentary(months[-1], text)


def _own_or_system(folder: Path, period: str, org: str | None) -> Commentary | None:
    """The organisation's own commentary if it has any, else the system's."""
    inside = org and ORG_FOLDER.match(org) and (folder / org).resolve().is_relative_to(folder.resolve())
    if inside and (own := latest_commentary(folder / org, period)):
        return Commentary(own.period, own.text, org)
    return latest_commentary(folder, period)


def _subject_folder(config_folder: Path, kind: str, subject: str) -> Path | None:
    """A metric's or portfolio's commentary folder, unless a link takes it outside the config folder."""
    folder = config_folder / "commentary" / kind / subject
    return folder if folder.resolve().is_relative_to(config_folder.resolve()) else None


def metric_commentary(config_folder: Path, metric_id: str, period: str, org: str | None = None) -> Commentary | None:
    folder = _subject_folder(config_folder, "metrics", metric_id)
    return _own_or_system(folder, period, org) if folder else None


def portfolio_commentary(config_folder: Path, portfolio_id: str, period: str,
                         org: str | None = None) -> Commentary | None:
    folder = _subject_folder(config_folder, "portfolios", portfolio_id)
    return _own_or_system(folder, period, org) if folder else None


def written_for(note: Commentary, org: str, tree: OrgTree) -> str:
    """Whom and when a commentary was written for, as its caption says it: "Written for Oct-26", or,
    shown beside an organisation it was not written for, "System commentary for NHS Cheshire and
    Merseyside, written for Oct-26: none has been written for Wirral"."""
    month = month_label(note.period)
    if note.org == org or (note.org is None and org == tree.root):
        return f"Written for {month}"
    return (f"System commentary for {tree[tree.root].name}, written for {month}: "
            f"none has been written for {tree[org].name}")


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


def commentary_problems(config_folder: Path, subjects: dict[str, set[str]], codes: set[str]) -> list[str]:
    """What is wrong with the commentary files, for ``python -m portfolio check``: a link leading
    outside the config folder, a folder named like a month's file, text that is not UTF-8, a file
    too long to show in full, and a folder for a metric, portfolio or organisation that does not
    exist. ``subjects`` maps "metrics" and "portfolios" to their ids."""
    root, found = config_folder.resolve(), []
    for kind, ids in subjects.items():
        base = config_folder / "commentary" / kind
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            where = folder.relative_to(config_folder)
            if not folder.resolve().is_relative_to(root):
                found.append(f"{where} leads outside the config folder, so it is not read")
            elif folder.is_dir() and folder.name not in ids:
                found.append(f"{where}: there is no {kind[:-1]} '{folder.name}', so it is never shown")
            elif folder.is_dir():
                found += _month_files(folder, config_folder, root, codes)
    return found


def _month_files(folder: Path, config_folder: Path, root: Path, codes: set[str], org: bool = False) -> list[str]:
    found = []
    for path in sorted(folder.iterdir()):
        where = path.relative_to(config_folder)
        if not path.resolve().is_relative_to(root):
            found.append(f"{where} leads outside the config folder, so it is not read")
        elif path.is_dir() and not org and not MONTH_FILE.match(path.name):
            if path.name not in codes:
                found.append(f"{where}: no organisation has the code '{path.name}', so it is never shown")
            else:
                found += _month_files(path, config_folder, root, codes, org=True)
        elif MONTH_FILE.match(path.name) and not path.is_file():
            found.append(f"{where} is a folder, not a file: it is not read")
        elif MONTH_FILE.match(path.name):
            size = path.stat().st_size
            if size > MAX_BYTES:
                found.append(f"{where} is {size:,} bytes: only its first {MAX_BYTES:,} are shown; shorten it")
            with path.open("rb") as file:
                try:
                    file.read(MAX_BYTES).decode("utf-8-sig")
                except UnicodeDecodeError as error:
                    if error.reason != "unexpected end of data":  # not a character cut at the limit
                        found.append(f"{where} is not UTF-8 text ({error.reason}): save it as UTF-8")
    return found
