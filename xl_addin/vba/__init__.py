"""Write an Excel VBA project (`vbaProject.bin`) from source text, on any machine.

Standard library only. `build_vba_project(name, modules)` gives the bytes; modules come from
the VBA editor's export files (`module_from_export`) or are made directly as `Module`. The
parts, each after its specification: `compression` (MS-OVBA §2.4.1), `compound_file` (MS-CFB),
`dir_stream`, `project_stream` and `obfuscation` (MS-OVBA §2.3), `project` (the assembly).
For the Excel add-in: `excel_documents` (document modules from a workbook's code names),
`xlwings_udfs` (worksheet-function wrappers) and `xlam` (the deterministic package).
"""

from .errors import VbaProjectError
from .module_source import Module, ModuleKind, module_from_export
from .project import build_vba_project

__all__ = ["Module", "ModuleKind", "VbaProjectError", "build_vba_project", "module_from_export"]
