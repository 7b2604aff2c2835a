"""Which paths are files the dashboard may read or write: checked by their status alone, before
anything is opened (opening a named pipe would wait for a writer for ever), with the reason said
in words for a message. Every reader of config, extracts and published files asks here."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path


def shown(path: Path | str) -> str:
    """A file name fit to print: a NUL byte written as \\0, and a part too long for any file cut short."""
    text = str(path).replace("\0", "\\0")
    return re.sub(r"[^/]{100,}", lambda part: part.group()[:40] + "…", text)


def impossible_name(path: Path) -> str | None:
    """Why no file can have this name (a NUL byte, or a part over the 255 bytes a file system allows)."""
    if "\0" in str(path):
        return "has a NUL byte in its name"
    if any(len(os.fsencode(part)) > 255 for part in path.parts):
        return "has a part of its name longer than 255 bytes"
    return None


NOT_FILES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def file_kind(path: Path) -> str | None:
    """"a file", "a folder", "a named pipe", "a device" or "a socket"; None when nothing is there. Only
    the status is read (``os.stat``): opening a named pipe would wait for a writer, for ever."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISREG(mode):
        return "a file"
    return next((kind for test, kind in NOT_FILES if test(mode)), "a special file")


def _looked_at(path: Path, verb: str) -> tuple[str | None, str | None]:
    """(the path's kind, None) or (None, why it cannot be a file: an impossible name, or the status
    not read, said with ``verb``)."""
    problem = impossible_name(path)
    if problem:
        return None, problem
    try:
        return file_kind(path), None
    except OSError as error:
        return None, f"cannot be {verb} ({error.strerror})"


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a published file, or None when it is an ordinary file."""
    kind, problem = _looked_at(path, "read")
    if problem:
        return problem
    if kind is None:
        return "does not exist"
    return None if kind == "a file" else f"is {kind}, not a file"


def unwritable(path: Path) -> str | None:
    """Why no file can be written at ``path`` ("is a folder", say), or None. A named pipe is refused
    too: writing to it would wait for a reader, for ever."""
    kind, problem = _looked_at(path, "looked at")
    if problem:
        return problem
    return None if kind in (None, "a file") else f"is {kind}"
