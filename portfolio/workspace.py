"""Loading everything at once: config + extracts → validated tables → fact store → metric engine."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from portfolio.config.loading import load_config
from portfolio.config.organisations import OrgTree
from portfolio.data.extracts import load_extracts
from portfolio.data.store import FactStore
from portfolio.figures.engine import Engine
from portfolio.figures.workspace import Workspace

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT / "config"
DEFAULT_DATA = PROJECT / "sample_data"


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
