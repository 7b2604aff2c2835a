"""What every figure and output reads: the validated config, the organisation tree, the fact store,
the metric engine and what each extract's check found. ``portfolio.workspace`` loads it from disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from portfolio.config.loading import Config
from portfolio.config.organisations import OrgTree
from portfolio.config.problems import Problem
from portfolio.data.extracts import ExtractReport
from portfolio.data.store import FactStore
from portfolio.figures.engine import Engine


@dataclass
class Workspace:
    config: Config
    data_dir: Path
    tree: OrgTree
    store: FactStore
    engine: Engine
    extracts: list[ExtractReport] = field(default_factory=list)
    source: str | None = None  # a warehouse every extract is read from instead of what the settings name
    warehouse_version: str = ""  # what the warehouses read held when it was loaded (blank: none is read)

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
