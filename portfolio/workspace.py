"""Loading everything at once: config + extracts → validated tables → fact store → metric engine."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from portfolio.config.loading import load_config
from portfolio.config.organisations import OrgTree
from portfolio.data.extracts import load_extracts
from portfolio.data.attendances import configured
from portfolio.data.engines import EMBEDDED
from portfolio.data.sources import Unreachable, reach, warehoused
from portfolio.data.warehouse import loads_held
from portfolio.data.store import FactStore
from portfolio.figures.engine import Engine
from portfolio.figures.workspace import Workspace

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT / "config"
DEFAULT_DATA = PROJECT / "sample_data"


def default_source() -> str | None:
    """``PORTFOLIO_SOURCE`` if set: a warehouse (a connection's name or a URL) to read every extract
    and the patient-level attendances from, whatever settings.yaml says."""
    return os.environ.get("PORTFOLIO_SOURCE") or None


def default_folders() -> tuple[Path, Path]:
    """The config and data folders: ``PORTFOLIO_CONFIG`` and ``PORTFOLIO_DATA`` if set, else the
    bundled sample."""
    return (Path(os.environ.get("PORTFOLIO_CONFIG", DEFAULT_CONFIG)),
            Path(os.environ.get("PORTFOLIO_DATA", DEFAULT_DATA)))


def fingerprint(config_dir: Path, data_dir: Path) -> str:
    """Changes whenever a config file or an extract changes (name, size or modification time);
    used as the small, hashable cache key for everything derived from them."""
    digest = hashlib.sha256()
    for folder, pattern in ((config_dir, "**/*.yaml"), (data_dir, "**/*.csv")):
        for path in sorted(Path(folder).glob(pattern)):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(str(default_source()).encode())
    return digest.hexdigest()[:16]


def load_workspace(config_dir: Path | str | None = None, data_dir: Path | str | None = None,
                   source: str | None = None) -> Workspace:
    """Everything loaded; ``source`` (default ``PORTFOLIO_SOURCE``): a warehouse to read every
    extract from instead of what settings.yaml names."""
    default_config, default_data = default_folders()
    config_dir = Path(config_dir or default_config)
    data_dir = Path(data_dir or default_data)
    source = source or default_source()
    config = load_config(config_dir)
    tree = OrgTree(config.organisations)
    engines, warehouse_reports = warehoused(config, source)
    files, reports = load_extracts(config, data_dir, elsewhere=frozenset(report.file for report in warehouse_reports))
    store = FactStore(files, engines)
    reports = sorted(reports + warehouse_reports, key=lambda report: report.file)
    workspace = Workspace(config, data_dir, tree, store, Engine(config, store, tree), reports, source)
    workspace.warehouse_version = warehouse_version(workspace)
    return workspace


def warehouse_version(workspace: Workspace) -> str:
    """What the warehouses the workspace reads hold now (their loads): it changes when one is
    loaded again, so that a dashboard knows to read it again. Blank when every figure is embedded."""
    held_by = set(workspace.store.warehoused.values())
    extract = configured(workspace.config.settings, workspace.data_dir, workspace.source)
    if extract is not None and extract.source != EMBEDDED:
        try:
            held_by.add(reach(extract.source))
        except Unreachable:  # the attendances page says so
            pass
    return " ".join(f"{found.url}:{loads_held(found)}" for found in sorted(held_by, key=lambda found: found.url))
