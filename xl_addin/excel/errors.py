"""Problems with the open workbook that the analyst can fix, worded for an Excel alert."""

from __future__ import annotations

from ..errors import XlAddinError


class WorkbookError(XlAddinError):
    """The open workbook cannot be refreshed as it is; the message says what to change."""


def sheet_collision(name: str) -> WorkbookError:
    """A sheet of the user's has the name of a sheet Refresh writes (same words as the file
    route, so both surfaces say the same thing)."""
    return WorkbookError(
        f"The workbook already has a sheet named '{name}' that xl_addin did not create. "
        "Rename or delete that sheet, then try again (xl_addin will not overwrite it)."
    )


def table_collision(name: str, where: str) -> WorkbookError:
    return WorkbookError(
        f"The workbook already has {where} named '{name}' that xl_addin did not create. "
        "Rename it (Formulas > Name Manager, or Table Design > Table Name), then try again."
    )
