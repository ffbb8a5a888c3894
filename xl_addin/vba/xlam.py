"""Write a package (an .xlam) from a template package with some parts replaced, byte for byte
the same on every machine.

Every entry gets the same fixed timestamp and attributes, whichever system writes it, and is
stored uncompressed: deflate output depends on the zlib build (Windows' Python and a Linux
distribution's can differ), so only stored entries are the same everywhere. The parts keep the
template's order.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from .errors import VbaProjectError

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 0  # otherwise 3 on Linux and macOS, 0 on Windows
    return info


def package_bytes(template: Path, replace: Mapping[str, bytes]) -> bytes:
    """The template's parts in its order, with `replace` (part name -> bytes) swapped in.

    A part to replace must already be in the template, whose content types and relationships
    then already declare it.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(buffer, "w") as zout:
        names = zin.namelist()
        missing = sorted(set(replace) - set(names))
        if missing:
            raise VbaProjectError(f"{template.name} has no part {', '.join(missing)}")
        for name in names:
            data = replace[name] if name in replace else zin.read(name)
            zout.writestr(_entry(name), data)
    return buffer.getvalue()
