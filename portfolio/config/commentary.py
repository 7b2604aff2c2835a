"""Commentary written by people: Markdown files in the config folder, one per subject and month.

    config/commentary/metrics/<metric id>/<YYYY-MM>.md
    config/commentary/portfolios/<portfolio id>/<YYYY-MM>.md

Those are written for the whole system. Commentary for one organisation (a place, a provider or
a site) sits in a folder named by its code beside them, such as
``config/commentary/portfolios/uec/RBL/2026-10.md``; where an organisation has none, the system's
is shown, and says so.

A portfolio's file holds the front sheet's two narratives under the headings
``## Analyst narrative`` and ``## Lead commentary``. A portfolio's or a metric's file may also hold
the short narrative a meeting's slide shows, in three parts under ``## What the data shows``,
``## Why it matters`` and ``## What is being done``.

The file for the reporting month is shown, or else the latest one before it (with its month), so
a narrative written for September still shows in October until October's is written. The text is
rendered as Markdown only, never as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from portfolio.config.months import Month
from portfolio.config.organisations import OrgTree

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
    text = without_pictures(raw[:MAX_BYTES].decode("utf-8-sig", errors="replace"))
    if len(raw) > MAX_BYTES:
        text += "\n\n*(Shortened: the file is too long to show in full.)*"
    return Commentary(months[-1], text)


PICTURE = re.compile(r"!\[([^\]]*)\]\s*(\([^)]*\)|\[[^\]]*\])")


def without_pictures(markdown: str) -> str:
    """Markdown with each picture (``![words](address)``) replaced by its words in brackets: a
    picture would be fetched from wherever its address points (a tracking pixel works), on a
    board's screen and in the pack."""
    return PICTURE.sub(lambda found: f"[picture: {found.group(1).strip() or 'no description'}]", markdown)


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
    month = Month(note.period).label
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


FRONT_SHEET_PARTS = ("Analyst narrative", "Lead commentary")
SLIDE_PARTS = ("What the data shows", "Why it matters", "What is being done")
SLIDE_WORDS = 25  # the words of one part that fit a slide at presenter type (three parts beside its figures)


def plain_lines(markdown: str) -> list[str]:
    """Markdown as plain lines: emphasis marks dropped, the lines of a paragraph joined as Markdown
    joins them, and each list item on a line of its own, starting "• "."""
    lines: list[str] = []
    for line in re.sub(r"[*_`]+", "", markdown).splitlines():
        item = re.match(r"\s*([-+]|\d+\.)\s", line)
        if lines and line.strip() and lines[-1] and not item:
            lines[-1] += " " + line.strip()
        else:
            lines.append(("• " + line[item.end():].strip()) if item and item.group(1) in "-+" else line.strip())
    return [line for line in lines if line]


def front_sheet_narrative(note: Commentary) -> dict[str, str]:
    """Heading → Markdown of what a front sheet shows: its two narratives where the file has them,
    else a slide's three parts, else every section."""
    found = sections(note.text)
    return ({h: found[h] for h in FRONT_SHEET_PARTS if h in found} or {h: found[h] for h in SLIDE_PARTS if h in found}
            or found)


def slide_narrative(note: Commentary) -> list[tuple[str, list[str]]]:
    """(heading, plain lines) for a slide: the three parts where the file has any of them, else its
    own sections in order (text before any heading has none); each part cut at ``SLIDE_WORDS``
    words, ending "…", so a slide never scrolls. ``python -m portfolio check`` names a part cut."""
    found = sections(note.text)
    chosen = [h for h in SLIDE_PARTS if h in found] or list(found)
    return [(heading, _first_words(plain_lines(found[heading]), SLIDE_WORDS)) for heading in chosen]


def _first_words(lines: list[str], limit: int) -> list[str]:
    kept, left = [], limit
    for line in lines:
        words = line.split()
        if len(words) > left:
            kept.append(" ".join(words[:left]) + " …")
            break
        kept.append(line)
        left -= len(words)
    return kept


def slide_problems(note: Commentary) -> list[str]:
    """The parts of a narrative too long for a slide, as a hint says them."""
    found = sections(note.text)
    chosen = [h for h in SLIDE_PARTS if h in found] or list(found)
    return [f"'{heading or 'the narrative'}' has {words} words; a slide shows the first {SLIDE_WORDS}"
            for heading in chosen if (words := len(" ".join(plain_lines(found[heading])).split())) > SLIDE_WORDS]


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
