"""The layers. The pure core (portfolio/) never imports Streamlit nor the Streamlit pieces
(components/), so the command line, the board pack and the tests run without a browser session.
Inside the core, the folders follow the data and imports run only downstream:
config → data → figures → outputs, with the workspace, the hints and the command line on top."""

import ast
import subprocess
import sys

from tests.conftest import ROOT

LAYERS = ["config", "data", "figures", "outputs"]


def _modules():
    for path in sorted((ROOT / "portfolio").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(p for p in parts if p != "__init__"), path


def test_the_pure_core_imports_neither_streamlit_nor_components():
    modules = [name for name, _ in _modules() if not name.endswith("__main__")]
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'components')))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(modules) > 20


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else len(LAYERS)


def _imported(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portfolio"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("portfolio"))
    return found


def test_imports_run_only_downstream_config_data_figures_outputs():
    upstream = [f"{name} imports {other}" for name, path in _modules() for other in sorted(_imported(path))
                if _layer(other) > _layer(name)]
    assert upstream == []


def test_every_core_module_sits_in_a_layer_folder_or_on_top():
    on_top = {"portfolio", "portfolio.__main__", "portfolio.cli", "portfolio.workspace", "portfolio.hints"}
    loose = [name for name, _ in _modules() if _layer(name) == len(LAYERS) and name not in on_top]
    assert loose == []
