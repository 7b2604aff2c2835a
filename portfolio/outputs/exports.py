"""Figures written out for people to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe; numbers,
    negative ones included, are left as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_csv(frame: pd.DataFrame) -> str:
    """CSV text of ``frame`` that is safe to open in Excel (no formula injection)."""
    return frame.map(neutralise).to_csv(index=False)
