"""Errors raised by package surgery and safe writes.

Every message is plain English because the caller shows it to the analyst as it is.
"""

from __future__ import annotations

from ..io.file_safety import FileLockedError


class SurgeryError(Exception):
    """Base class: the workbook cannot be changed safely; nothing was written."""


class DamagedPackageError(SurgeryError):
    """The file is not a readable .xlsx/.xlsm package (or part of it is malformed)."""


class UnsupportedWorkbookError(SurgeryError):
    """The workbook uses a format or setting that the surgery deliberately refuses."""


class SheetNameCollisionError(SurgeryError):
    """A sheet of the user's has the name of a sheet we are about to add."""

    def __init__(self, name: str) -> None:
        self.sheet_name = name
        super().__init__(
            f"The workbook already has a sheet named '{name}' that xl_addin did not create. "
            f"Rename or delete that sheet, then try again (xl_addin will not overwrite it)."
        )


class TableNameCollisionError(SurgeryError):
    """A table or defined name of the user's has the name of a table we are about to add."""

    def __init__(self, name: str, where: str) -> None:
        self.table_name = name
        super().__init__(
            f"The workbook already has {where} named '{name}' that xl_addin did not create. "
            f"Rename it (Formulas > Name Manager, or Table Design > Table Name), then try again."
        )


class DefinedNameCollisionError(SurgeryError):
    """The scratch book brings a workbook-scoped defined name the user already has."""


class ScratchBookError(SurgeryError):
    """The generated (scratch) workbook contains something the surgery cannot transplant."""


class WorkbookLockedError(SurgeryError, FileLockedError):
    """Excel, LibreOffice (or another program) has the workbook open; also a FileSafetyError,
    so callers can treat it like every other file that cannot be written."""


class VerificationError(SurgeryError):
    """The freshly written file failed verification; the original was left untouched."""
