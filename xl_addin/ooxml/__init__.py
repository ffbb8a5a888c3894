"""Excel package surgery: put generated sheets into a user workbook, touching nothing else.

See docs/ooxml.md. Public API: :func:`transplant`, :func:`read_registry`,
:func:`atomic_replace`, :func:`verify`, :func:`lint` and the :class:`SurgeryError` family.
"""

from .errors import (
    DamagedPackageError,
    DefinedNameCollisionError,
    ScratchBookError,
    SheetNameCollisionError,
    SurgeryError,
    TableNameCollisionError,
    UnsupportedWorkbookError,
    VerificationError,
    WorkbookLockedError,
)
from .lint import Problem, lint
from .safe_write import atomic_replace, backup_path, check_can_replace, verify
from .transplant import (
    DEFAULT_REGISTRY_NAME,
    TransplantReport,
    book_uses_1904_dates,
    read_registry,
    transplant,
)

__all__ = [
    "DEFAULT_REGISTRY_NAME",
    "DamagedPackageError",
    "DefinedNameCollisionError",
    "Problem",
    "ScratchBookError",
    "SheetNameCollisionError",
    "SurgeryError",
    "TableNameCollisionError",
    "TransplantReport",
    "UnsupportedWorkbookError",
    "VerificationError",
    "WorkbookLockedError",
    "atomic_replace",
    "backup_path",
    "book_uses_1904_dates",
    "check_can_replace",
    "lint",
    "read_registry",
    "transplant",
    "verify",
]
