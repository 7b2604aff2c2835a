"""A problem found in a configuration file or an extract, worded for the person who must fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    location: str = ""  # a YAML key path ("metrics[2].targets[0].value") or "row 14, column value"
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        place = f" ({self.location})" if self.location else ""
        return f"{where}{place}: {self.message}"
