"""Storage faults a test cannot make real as root: a full disk or a spent quota, reported when
the data is flushed (as many file systems, network drives among them, do)."""

from __future__ import annotations

import errno
import os

import pytest

MESSAGES = {errno.ENOSPC: "No space left on device", errno.EDQUOT: "Disk quota exceeded"}


def fail_flush(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC, *, at: int = 1) -> None:
    """The `at`-th `os.fsync` from now, and every later one, fails with `code`."""
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] >= at:
            raise OSError(code, MESSAGES.get(code, os.strerror(code)))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
