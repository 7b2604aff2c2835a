"""Commentary written by people: Markdown files in the config folder, one per subject and month.

    config/commentary/metrics/<metric id>/<YYYY-MM>.md
    config/commentary/portfolios/<portfolio id>/<YYYY-MM>.md

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

MONTH_FILE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))\.md$")


@dataclass(frozen=True)
class Commentary:
    period: str  # the month it was written for, YYYY-MM
    text: str


def latest_commentary(folder: Path, period: str) -> Commentary | None:
    """The commentary in ``folder`` for ``period``, or the latest before it."""
    if not folder.is_dir():
        return None
    months = sorted(m.group(1) for f in folder.iterdir() if (m := MONTH_FILE.match(f.name)) and m.group(1) <= period)
    if not months:
        return None
    return Commentary(months[-1], (folder / f"{months[-1]}.md").read_text(encoding="utf-8-sig", errors="replace"))


def metric_commentary(config_folder: Path, metric_id: str, period: str) -> Commentary | None:
    return latest_commentary(config_folder / "commentary" / "metrics" / metric_id, period)


def portfolio_commentary(config_folder: Path, portfolio_id: str, period: str) -> Commentary | None:
    return latest_commentary(config_folder / "commentary" / "portfolios" / portfolio_id, period)


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
