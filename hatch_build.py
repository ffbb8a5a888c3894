"""Wheel build hook: the wheel carries the desktop add-in already built.

`xl_addin/addin_built/xlwings-<version>/xl_addin.xlam` is made by the same code as
`xl-addin build-addin` (xl_addin.excel.addin), with the xlwings this hook requires
(pyproject.toml, [tool.hatch.build.targets.wheel.hooks.custom]). That code needs only the
standard library, so it is loaded from the source tree without `xl_addin/__init__.py`, which
would import pandas and the rest of the runtime. Editable installs build nothing: there
`build-addin` builds from the checkout.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGES = ("xl_addin", "xl_addin.excel")  # stood in for, so their __init__ does not run


def _addin_module(root: Path) -> types.ModuleType:
    """xl_addin.excel.addin from the source tree, loaded without the package's imports."""
    for name in PACKAGES:
        package = types.ModuleType(name)
        package.__path__ = [str(root.joinpath(*name.split(".")))]
        sys.modules[name] = package
    return importlib.import_module("xl_addin.excel.addin")


class AddinBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        saved = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "xl_addin"}
        try:
            addin = _addin_module(Path(self.root))
            self._folder = tempfile.mkdtemp(prefix="xl_addin-build-")
            built = addin.build_addin(self._folder, echo=None, use_packaged=False)
            target = f"xl_addin/{addin.PACKAGED}/xlwings-{addin.xlwings_version()}/{built.name}"
        finally:
            for name in [k for k in sys.modules if k.split(".")[0] == "xl_addin"]:
                del sys.modules[name]
            sys.modules.update(saved)
        build_data["force_include"][str(built)] = target
        self.app.display_info(f"Built the desktop add-in into the wheel: {target}")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
