"""The code reads in small pieces: no function in the core or the Streamlit pieces runs past 60 lines."""

import ast

from tests.conftest import ROOT

LONGEST = 60


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for folder in ("portfolio", "components", "app_pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > LONGEST:
                        long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
