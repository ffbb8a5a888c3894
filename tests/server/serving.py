"""How the tests start `xl-addin serve`: the public address it is given and a free local port."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

PUBLIC_URL = "https://kpis.example.gov.uk/kpis"
"""An HTTPS proxy's address with a path, as IT would run it: routes live under /kpis."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "xl_addin.cli", "serve", *args]


def start_serve(port: int, *options: str, **popen: Any) -> subprocess.Popen:
    """A real `xl-addin serve` on 127.0.0.1:`port` with these options, logging warnings only."""
    command = serve_command("--host", "127.0.0.1", "--port", str(port), *options)
    return subprocess.Popen([*command, "--log-level", "warning"], **popen)
