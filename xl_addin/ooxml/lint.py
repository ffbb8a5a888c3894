"""Our own checks for the things that make Excel "repair" a workbook.

Schema validators miss these (docs: shared excel-files.md §2 and §6), so they are checked here:
table header cells must equal the table's column names; table names and ids must be unique (and
not clash with defined names); sheet names must be valid and unique; defined names must be
valid, unique in their scope and point at an existing sheet; every relationship target must
exist; every part must have a content type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import xmlutil as X
from .errors import SurgeryError
from .parts import CT_PART, REL_SHARED_STRINGS, REL_TABLE, Package, rels_name
from .workbook import SheetRef, defined_names, read_sheets

CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_BAD_SHEET_CHARS = set("[]:*?/\\")
_A1 = re.compile(r"^([A-Za-z]{1,3})([0-9]+)$")
_R1C1 = re.compile(r"^(R([0-9]*)?)?(C([0-9]*)?)?$", re.IGNORECASE)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class Problem:
    """One finding: a short code, the part it is in, and a plain-English message."""

    code: str
    part: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.part}: {self.message}"


def sheet_name_problem(name: str) -> str | None:
    """Why Excel would reject a sheet name, or None when it is valid."""
    if not name:
        return "it is empty"
    if len(name) > 31:
        return "it is longer than 31 characters"
    bad = sorted(set(name) & _BAD_SHEET_CHARS)
    if bad:
        return "it contains " + " ".join(bad)
    if name.startswith("'") or name.endswith("'"):
        return "it starts or ends with an apostrophe"
    if name.casefold() == "history":
        return "'History' is reserved by Excel"
    return None


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def defined_name_problem(name: str) -> str | None:
    """Why Excel would reject a defined name, or None when it is valid."""
    if not name:
        return "it is empty"
    if len(name) > 255:
        return "it is longer than 255 characters"
    if name.lower().startswith("_xlnm."):
        rest = name[6:]
        return None if rest and all(c.isalnum() or c == "_" for c in rest) else "bad built-in"
    first = name[0]
    if not (first.isalpha() or first in "_\\"):
        return "it must start with a letter, underscore or backslash"
    if any(not (c.isalnum() or c in "_.\\?") for c in name):
        return "it contains a character other than letters, digits, _ . \\ ?"
    m = _A1.match(name)
    if m and _col_number(m.group(1)) <= 16384 and 1 <= int(m.group(2)) <= 1048576:
        return "it looks like a cell reference"
    if _R1C1.match(name):
        return "it looks like an R1C1 reference"
    return None


def _cell_ref(ref: str) -> tuple[int, int] | None:
    m = _A1.match(ref.replace("$", ""))
    if not m:
        return None
    return _col_number(m.group(1)), int(m.group(2))


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _string_text(el: etree._Element) -> str:
    """Plain text of an ``<si>``/``<is>`` item (runs joined, phonetic runs skipped)."""
    parts: list[str] = []
    for c in el:
        name = X.local_name(c)
        if name == "t":
            parts.append(c.text or "")
        elif name == "r":
            t = X.child(c, "t")
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


class _Linter:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.problems: list[Problem] = []
        self._sst: list[str] | None = None

    def add(self, code: str, part: str, message: str) -> None:
        self.problems.append(Problem(code, part, message))

    def run(self) -> list[Problem]:
        self.check_package()
        try:
            wb_part = self.pkg.main_part()
            wb = self.pkg.xml(wb_part)
        except SurgeryError as exc:
            self.add("workbook", "xl/workbook.xml", str(exc))
            return self.problems
        self.check_workbook(wb_part, wb)
        return self.problems

    def check_package(self) -> None:
        pkg = self.pkg
        for src in pkg.rel_sources():
            for r in pkg.dangling(src):
                self.add("rel-target", rels_name(src), f"{r.id} points to missing {r.target}")
            ids = [r.id for r in pkg.rels(src)]
            if len(ids) != len(set(ids)):
                self.add("rel-id", rels_name(src), "duplicate relationship ids")
        for n in pkg.names:
            if n == CT_PART or n.lower() == CT_PART.lower():
                continue
            if pkg.content_types.type_of(n) is None:
                self.add("content-type", n, "part has no content type")
        for over in pkg.content_types.overrides:
            if pkg.find(over) is None:
                self.add("content-type", CT_PART, f"override for missing part /{over}")

    def shared_strings(self, wb_part: str) -> list[str]:
        if self._sst is None:
            self._sst = []
            sp = next(
                (r.part for r in self.pkg.rels(wb_part) if r.type == REL_SHARED_STRINGS), None
            )
            if sp:
                self._sst = [_string_text(si) for si in X.children(self.pkg.xml(sp), "si")]
        return self._sst

    def check_workbook(self, wb_part: str, wb: etree._Element) -> None:
        sheets = read_sheets(wb, self.pkg.rels(wb_part))
        seen: set[str] = set()
        ids: set[int] = set()
        rids: set[str] = set()
        for s in sheets:
            problem = sheet_name_problem(s.name)
            if problem:
                self.add("sheet-name", wb_part, f"sheet '{s.name}': {problem}")
            if s.name.casefold() in seen:
                self.add("sheet-name", wb_part, f"sheet name '{s.name}' is used twice")
            seen.add(s.name.casefold())
            if s.sheet_id in ids or s.sheet_id <= 0:
                self.add("sheet-id", wb_part, f"sheet '{s.name}' has a bad/duplicate sheetId")
            ids.add(s.sheet_id)
            if s.rid in rids:
                self.add("sheet-rid", wb_part, f"sheet '{s.name}' reuses r:id {s.rid}")
            rids.add(s.rid)
            if s.part is None:
                self.add("sheet-part", wb_part, f"sheet '{s.name}' has no part")
        views = X.child(wb, "bookViews")
        for v in [] if views is None else X.children(views, "workbookView"):
            if int(v.get("activeTab", "0") or 0) >= max(len(sheets), 1):
                self.add("active-tab", wb_part, "activeTab points past the last sheet")

        scopes: set[tuple[str, str | None]] = set()
        global_names: set[str] = set()
        for el in defined_names(wb):
            name = el.get("name", "")
            lid = el.get("localSheetId")
            problem = defined_name_problem(name)
            if problem:
                self.add("defined-name", wb_part, f"name '{name}': {problem}")
            key = (name.casefold(), lid)
            if key in scopes:
                self.add("defined-name", wb_part, f"name '{name}' is defined twice in one scope")
            scopes.add(key)
            if lid is None:
                global_names.add(name.casefold())
            elif not lid.isdigit() or int(lid) >= len(sheets):
                self.add("defined-name", wb_part, f"name '{name}' has a bad localSheetId {lid}")
        self.check_tables(wb_part, sheets, global_names)

    def check_tables(self, wb_part: str, sheets: list[SheetRef], global_names: set[str]) -> None:
        names: dict[str, str] = {}
        ids: dict[int, str] = {}
        for s in sheets:
            if s.part is None or s.kind != "worksheet":
                continue
            table_parts = [r.part for r in self.pkg.rels(s.part) if r.type == REL_TABLE and r.part]
            for tp in table_parts:
                root = self.pkg.xml(tp)
                tid = int(root.get("id", "0") or 0)
                display = root.get("displayName", root.get("name", ""))
                if tid in ids:
                    self.add("table-id", tp, f"table id {tid} is also used by {ids[tid]}")
                ids[tid] = tp
                for n in {display, root.get("name", display)}:
                    if n.casefold() in names and names[n.casefold()] != tp:
                        self.add("table-name", tp, f"table name '{n}' is used twice")
                    names[n.casefold()] = tp
                    if n.casefold() in global_names:
                        self.add("table-name", tp, f"table name '{n}' is also a defined name")
                self.check_header(wb_part, s.part, tp, root)

    def check_header(
        self, wb_part: str, sheet_part: str, table_part: str, table: etree._Element
    ) -> None:
        if table.get("headerRowCount", "1") == "0":
            return
        ref = (table.get("ref") or "").split(":")
        first = _cell_ref(ref[0]) if ref and ref[0] else None
        last = _cell_ref(ref[-1]) if ref and ref[-1] else None
        cols_el = X.child(table, "tableColumns")
        if first is None or last is None or cols_el is None:
            self.add("table-ref", table_part, f"bad table ref {table.get('ref')}")
            return
        names = [_unescape(c.get("name", "")) for c in X.children(cols_el, "tableColumn")]
        if len(names) != last[0] - first[0] + 1:
            self.add("table-columns", table_part, "column count does not match the table ref")
            return
        cells = self._row_cells(wb_part, sheet_part, first[1], first[0], last[0])
        for offset, name in enumerate(names):
            col = first[0] + offset
            value = cells.get(col)
            if value is None:
                self.add("table-header", table_part, f"header cell for '{name}' is empty")
            elif value[1] is False:
                self.add("table-header", table_part, f"header cell for '{name}' is not text")
            elif value[0] != name:
                self.add(
                    "table-header",
                    table_part,
                    f"header cell text {value[0]!r} differs from column name {name!r}",
                )

    def _row_cells(
        self, wb_part: str, sheet_part: str, row: int, c0: int, c1: int
    ) -> dict[int, tuple[str, bool]]:
        """{column: (text, is_text)} for one row of a sheet, streamed."""
        out: dict[int, tuple[str, bool]] = {}
        current = 0
        with self.pkg.zip.open(sheet_part) as fh:
            for _ev, el in etree.iterparse(
                fh, events=("end",), resolve_entities=False, no_network=True, load_dtd=False
            ):
                if X.local_name(el) != "row":
                    continue
                r = el.get("r")
                current = int(r) if r is not None and r.isdigit() else current + 1
                if current < row:
                    el.clear()
                    continue
                for c in X.children(el, "c"):
                    pos = _cell_ref(c.get("r", ""))
                    if pos is None or pos[1] != row or not c0 <= pos[0] <= c1:
                        continue
                    t = c.get("t", "n")
                    v = X.child(c, "v")
                    if t == "s" and v is not None and v.text is not None:
                        sst = self.shared_strings(wb_part)
                        idx = int(v.text)
                        out[pos[0]] = (sst[idx] if idx < len(sst) else "", True)
                    elif t == "inlineStr":
                        is_el = X.child(c, "is")
                        out[pos[0]] = (_string_text(is_el) if is_el is not None else "", True)
                    elif v is not None:
                        out[pos[0]] = (v.text or "", t == "str")
                break
        return out


def lint_package(pkg: Package) -> list[Problem]:
    """All problems found in an open package."""
    return _Linter(pkg).run()


def lint(book: Path) -> list[Problem]:
    """All problems found in a workbook file (empty list = nothing found)."""
    with Package(Path(book)) as pkg:
        return lint_package(pkg)
