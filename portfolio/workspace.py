"""Loading everything at once: config + extracts → validated tables → fact store → metric engine."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from portfolio.config import Config, load_config
from portfolio.engine import Engine
from portfolio.extracts import ExtractReport, load_extracts
from portfolio.orgs import OrgTree
from portfolio.problems import Problem
from portfolio.store import FactStore

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT / "config"
DEFAULT_DATA = PROJECT / "sample_data"


def default_folders() -> tuple[Path, Path]:
    """The config and data folders: ``PORTFOLIO_CONFIG`` and ``PORTFOLIO_DATA`` if set, else the
    bundled sample."""
    return (Path(os.environ.get("PORTFOLIO_CONFIG", DEFAULT_CONFIG)),
            Path(os.environ.get("PORTFOLIO_DATA", DEFAULT_DATA)))


@dataclass
class Workspace:
    config: Config
    data_dir: Path
    tree: OrgTree
    store: FactStore
    engine: Engine
    extracts: list[ExtractReport] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.config.problems + [p for r in self.extracts for p in r.problems] + self._periods_without_data()

    def _periods_without_data(self) -> list[Problem]:
        """A month the settings or a meeting freeze the dashboard on, for which no extract has figures."""
        periods, found = set(self.engine.periods), []
        wanted = self.config.settings.default_period
        if self.engine.periods and wanted != "latest" and wanted not in periods:
            found.append(Problem("settings.yaml", f"default_period {wanted} has no figures in any extract, so the "
                                                  f"dashboard opens on the latest month instead", location="default_period",
                                 severity="warning"))
        for meeting in self.config.meetings.values():
            if self.engine.periods and meeting.period not in periods:
                found.append(Problem(f"meetings/{meeting.id}.yaml", f"period {meeting.period} has no figures in any "
                                     "extract: its slides and board pack would show none", location="period",
                                     severity="warning"))
        return found

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def synthetic(self) -> bool:
        return any(r.info and r.info.synthetic for r in self.extracts)

    def stale_extracts(self, today: date | None = None) -> list[ExtractReport]:
        """Extracts past their expected refresh (data as at + refresh days + grace)."""
        today = today or date.today()
        grace = timedelta(days=self.config.settings.stale_grace_days)
        return [r for r in self.extracts
                if r.info and r.info.data_as_at + timedelta(days=r.info.refresh_days) + grace < today]

    def data_as_at(self, extract_names: set[str] | None = None) -> date | None:
        dates = [r.info.data_as_at for r in self.extracts
                 if r.info and (extract_names is None or r.file in extract_names)]
        return max(dates) if dates else None


def fingerprint(config_dir: Path, data_dir: Path) -> str:
    """Changes whenever a config file or an extract changes (name, size or modification time);
    used as the small, hashable cache key for everything derived from them."""
    digest = hashlib.sha256()
    for folder, pattern in ((config_dir, "**/*.yaml"), (data_dir, "**/*.csv")):
        for path in sorted(Path(folder).glob(pattern)):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def load_workspace(config_dir: Path | str | None = None, data_dir: Path | str | None = None) -> Workspace:
    default_config, default_data = default_folders()
    config_dir = Path(config_dir or default_config)
    data_dir = Path(data_dir or default_data)
    config = load_config(config_dir)
    tree = OrgTree(config.organisations)
    files, reports = load_extracts(config, data_dir)
    store = FactStore(files)
    return Workspace(config, data_dir, tree, store, Engine(config, store, tree), reports)
