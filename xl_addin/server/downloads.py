"""Board packs waiting to be downloaded.

A workbook open in Excel on the web (or on a PC served by a remote server) has no folder the
server could write next to, so Export writes the pack here and the add-in hands the analyst a
link. Each file sits under an unguessable token for a short while and is then deleted; nothing
about the workbook is kept beyond that.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_SECONDS = 15 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass(frozen=True)
class Download:
    token: str
    path: Path
    filename: str
    expires: float


class DownloadStore:
    """Files by token in a private temporary folder, removed when they expire or on close."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS) -> None:
        self.keep_seconds = keep_seconds
        self.folder = Path(tempfile.mkdtemp(prefix="xl_addin-downloads-"))
        self._items: dict[str, Download] = {}
        self._lock = threading.Lock()

    def reserve(self) -> tuple[str, Path]:
        """A token and the path to write the file to before `publish`."""
        token = secrets.token_urlsafe(32)
        folder = self.folder / token
        folder.mkdir()
        return token, folder / "pack.xlsx"

    def publish(self, token: str, path: Path, filename: str) -> Download:
        item = Download(token, path, filename, time.monotonic() + self.keep_seconds)
        with self._lock:
            self._expire()
            self._items[token] = item
        return item

    def get(self, token: str) -> Download | None:
        if not TOKEN.match(token):
            return None
        with self._lock:
            self._expire()
            return self._items.get(token)

    def discard(self, token: str) -> None:
        shutil.rmtree(self.folder / token, ignore_errors=True)

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, item in self._items.items() if item.expires <= now]:
            del self._items[token]
            self.discard(token)

    def close(self) -> None:
        with self._lock:
            self._items.clear()
        shutil.rmtree(self.folder, ignore_errors=True)
