"""Caching in one place. The workspace (config, extracts, engine) is loaded once for each version
of its files, told apart by a fingerprint of their names, sizes and modification times that is
worked out once per run (``start_run``). Every figure a page caches goes through ``cached``, keyed
on small hashable arguments; a workspace among them counts as its fingerprint, so a changed config
file or extract is read again, and everything worked out from it too, on the next run."""

from __future__ import annotations

from contextvars import ContextVar

import streamlit as st

from portfolio.figures.scorecard import ScorecardRow, scorecard
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.workspace import Workspace
from portfolio.outputs.meetings import Step, running_order
from portfolio.workspace import default_folders, fingerprint, load_workspace, warehouse_version

_THIS_RUN: ContextVar[str] = ContextVar("workspace_fingerprint")  # set by start_run, in the run's thread


def cached(max_entries: int, spinner: str | bool = False, ttl: int = 3600):
    """The decorator for a cached figure: ``st.cache_data`` on its arguments, a ``Workspace`` hashed
    as this run's fingerprint (so it costs nothing to hash)."""
    return st.cache_data(max_entries=max_entries, ttl=ttl, show_spinner=spinner,
                         hash_funcs={Workspace: lambda _: _THIS_RUN.get()})


@st.cache_resource(max_entries=2, show_spinner="Loading portfolios and extracts…")
def _load(version: str, config_dir: str, data_dir: str) -> Workspace:
    # ``version`` is the folders' fingerprint: a new one loads the changed files
    return load_workspace(config_dir, data_dir)


WAREHOUSE_LOOK_SECONDS = 60  # how often a dashboard reading a warehouse asks whether it was loaded again


@st.cache_data(ttl=WAREHOUSE_LOOK_SECONDS, show_spinner=False)
def _warehouse_now(files: str, _workspace: Workspace) -> str:
    # keyed on the files' fingerprint only: the workspace is what to ask
    return warehouse_version(_workspace)


def start_run() -> Workspace:
    """Called by app.py first in every run: the folders' fingerprint, worked out once for the run,
    and the workspace it names (loaded when it is new). Where the figures come from a warehouse,
    a load there since the workspace was read (looked for once a minute) has everything read again."""
    files = fingerprint(*default_folders())
    _THIS_RUN.set(files)
    found = workspace()
    if found.warehouse_version and _warehouse_now(files, found) != found.warehouse_version:
        st.cache_data.clear()  # every figure worked out from the old rows
        _load.clear()
        found = workspace()
    return found


def workspace() -> Workspace:
    """This run's workspace."""
    config_dir, data_dir = default_folders()
    return _load(_THIS_RUN.get(), str(config_dir), str(data_dir))


@cached(max_entries=256)
def portfolio_summaries(ws: Workspace, portfolio_id: str, org_code: str, period: str) -> list[MetricSummary]:
    return ws.engine.portfolio_summaries(portfolio_id, org_code, period)


@cached(max_entries=128)
def portfolio_scorecard(ws: Workspace, portfolio_id: str, org_code: str, period: str) -> list[ScorecardRow]:
    return scorecard(ws.engine, portfolio_id, org_code, period)


@cached(max_entries=32)
def meeting_steps(ws: Workspace, meeting_id: str) -> list[Step]:
    """A meeting's running order (it reads every portfolio's summaries and its tables' shapes: too
    slow to repeat on each step of a meeting)."""
    return running_order(ws.config, ws.engine, ws.config.meetings[meeting_id])
