"""The layers: the pure core (portfolio/) never imports Streamlit nor the Streamlit pieces
(components/), so the command line, the board pack and the tests run without a browser session."""

import subprocess
import sys

from tests.conftest import ROOT


def test_the_pure_core_imports_neither_streamlit_nor_components():
    modules = sorted(f"portfolio.{p.stem}" for p in (ROOT / "portfolio").glob("*.py") if p.stem != "__main__")
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'components')))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(modules) > 20
