"""Zip-level transplant of generated sheets into the user's own workbook.

Why not openpyxl load+save: it silently drops sparklines, slicers, cached formula values,
threaded comments, customXml and more (docs/ooxml.md). Here the user's package is copied part by
part and only these parts are edited: the workbook part, its .rels, ``[Content_Types].xml``,
``styles.xml`` (only when new formats are needed) and ``docProps/app.xml``. The generated sheets
and everything they reference (drawings, charts, tables, images) are taken from a scratch book
written by XlsxWriter, renamed to unused part names and rewired.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import registry as reg
from . import sheetxml
from . import workbook as wbx
from . import xmlutil as X
from .appprops import update_app_xml
from .errors import (
    DamagedPackageError,
    ScratchBookError,
    SheetNameCollisionError,
    SurgeryError,
    TableNameCollisionError,
    UnsupportedWorkbookError,
)
from .lint import sheet_name_problem
from .order import plan_order
from .parts import (
    CT_PART,
    REL_CALC_CHAIN,
    REL_EXTENDED_PROPERTIES,
    REL_SHARED_STRINGS,
    REL_STYLES,
    REL_VML,
    Package,
    extension,
    relative_target,
    rels_name,
    target_path,
)
from .styles import StyleMaps, merge_styles

DEFAULT_REGISTRY_NAME = "_xl_addin_generated"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_NEW_ENTRY_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class TransplantReport:
    """What the surgery did; ``parts_copied`` were written byte-for-byte."""

    sheets_added: list[str] = field(default_factory=list)
    sheets_removed: list[str] = field(default_factory=list)
    sheets_kept: list[str] = field(default_factory=list)  # registered, kept by keep_registered
    parts_written: list[str] = field(default_factory=list)
    parts_copied: list[str] = field(default_factory=list)
    parts_removed: list[str] = field(default_factory=list)
    names_removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def book_uses_1904_dates(book: Path) -> bool:
    """Whether a workbook file counts dates from 1904; sheets written for it must do the same."""
    with Package(Path(book)) as pkg:
        return wbx.uses_1904_dates(pkg.xml(pkg.main_part()))


def read_registry(book: Path, registry_name: str = DEFAULT_REGISTRY_NAME) -> list[str] | None:
    """Generated sheet names recorded in a workbook, or None when it has no registry."""
    with Package(Path(book)) as pkg:
        root = pkg.xml(pkg.main_part())
        return reg.decode(wbx.global_name_value(root, registry_name))


def transplant(
    user_book: Path,
    scratch_book: Path,
    out: Path,
    *,
    register: bool = True,
    registry_name: str = DEFAULT_REGISTRY_NAME,
    recalc_on_open: bool = True,
    keep_registered: Callable[[str], bool] | None = None,
) -> TransplantReport:
    """Write ``out``: the user's package with the scratch book's sheets put in.

    With ``register`` the sheets listed by the registry name (a previous refresh) are removed
    first, with every part only they referenced, and the registry is rewritten to list the new
    sheets. Without it the sheets are only added. ``recalc_on_open`` sets ``fullCalcOnLoad`` so
    that Excel recalculates the user's formulas that read the new sheets. For a partial refresh,
    ``keep_registered(name)`` returning True keeps that previously generated sheet as it is (and
    registered); a registered sheet that the scratch book provides again is always replaced.
    Raises a
    :class:`SurgeryError` subclass with a plain-English message when the workbook cannot be
    changed safely; ``out`` is then not written.
    """
    user_book, scratch_book, out = Path(user_book), Path(scratch_book), Path(out)
    if out.resolve() in (user_book.resolve(), scratch_book.resolve()):
        raise ValueError("transplant() must write to a new path (use safe_write.atomic_replace)")
    with Package(user_book) as user, Package(scratch_book) as scratch:
        surgery = _Surgery(user, scratch, register, registry_name, recalc_on_open, keep_registered)
        surgery.prepare()
        try:
            surgery.write(out)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        return surgery.report


def name_clashes(
    user_book: Path, scratch_book: Path, *, registry_name: str = DEFAULT_REGISTRY_NAME
) -> list[SurgeryError]:
    """Every sheet, table or defined name of the user's that `transplant` would refuse to
    overwrite, found by the same planning without writing anything (for `validate`)."""
    with Package(Path(user_book)) as user, Package(Path(scratch_book)) as scratch:
        surgery = _Surgery(user, scratch, True, registry_name)
        surgery.clashes = []
        surgery.prepare()
        return surgery.clashes


def _allocate(name: str, used: set[str]) -> str:
    """An unused part name shaped like ``name`` (``xl/charts/chart7.xml`` -> ``chartN.xml``)."""
    folder, base = posixpath.split(name)
    m = re.match(r"^(.*?)(\d*)(\.[^.]*)?$", base)
    stem, ext = (m.group(1), m.group(3) or "") if m else (base, "")
    n = 1
    while True:
        cand = posixpath.join(folder, f"{stem}{n}{ext}")
        if cand.lower() not in used and rels_name(cand).lower() not in used:
            used.add(cand.lower())
            return cand
        n += 1


def _unused_rid(used: set[str]) -> str:
    n = 1
    while f"rId{n}" in used:
        n += 1
    used.add(f"rId{n}")
    return f"rId{n}"


class _Surgery:
    """One transplant: a plan built by :meth:`prepare`, then written by :meth:`write`."""

    def __init__(
        self,
        user: Package,
        scratch: Package,
        register: bool,
        registry_name: str,
        recalc_on_open: bool = True,
        keep_registered: Callable[[str], bool] | None = None,
    ):
        self.recalc_on_open = recalc_on_open
        self.keep_registered = keep_registered
        self.user = user
        self.scratch = scratch
        self.register = register
        self.registry_name = registry_name
        self.report = TransplantReport()
        self.edited: dict[str, bytes] = {}  # existing user parts rewritten
        self.new_parts: dict[str, bytes] = {}  # parts added (name -> bytes)
        self.new_source: dict[str, str] = {}  # added part -> scratch part it came from
        self.removed: set[str] = set()
        self.clashes: list[SurgeryError] | None = None  # a list: collect them all, not raise

    def _clash(self, error: SurgeryError) -> None:
        """A name of ours the user already has: stop, or note it when only checking."""
        if self.clashes is None:
            raise error
        self.clashes.append(error)

    # ------------------------------------------------------------------ planning
    def prepare(self) -> None:
        user, scratch = self.user, self.scratch
        wb_part = user.main_part()
        wb = user.xml(wb_part)
        if X.namespace(wb) != X.NS_MAIN:
            raise UnsupportedWorkbookError(
                f"{user.path.name} is not a standard Excel workbook (unexpected XML namespace)."
            )
        if wbx.structure_locked(wb):
            raise UnsupportedWorkbookError(
                f"The structure of {user.path.name} is protected (Review > Protect Workbook), "
                f"so sheets cannot be added or replaced. Unprotect it, then try again."
            )
        s_main = scratch.xml(scratch.main_part())
        if wbx.uses_1904_dates(wb) != wbx.uses_1904_dates(s_main):
            system = "1904" if wbx.uses_1904_dates(wb) else "1900"
            raise ScratchBookError(
                f"{user.path.name} uses the {system} date system but the sheets to add were "
                f"written for the other one; their dates would be four years out. Write them with "
                f"date_1904={system == '1904'} (see book_uses_1904_dates)."
            )
        wb_rels = user.rels(wb_part)
        user_sheets = wbx.read_sheets(wb, wb_rels)

        s_wb_part = scratch.main_part()
        s_wb = scratch.xml(s_wb_part)
        s_rels = scratch.rels(s_wb_part)
        s_sheets = wbx.read_sheets(s_wb, s_rels)
        self._check_scratch_sheets(s_sheets)

        # Which user sheets are ours from a previous refresh.
        removed_sheets: list[wbx.SheetRef] = []
        kept_registered: list[wbx.SheetRef] = []
        if self.register:
            listed = reg.decode(wbx.global_name_value(wb, self.registry_name)) or []
            listed_cf = {n.casefold() for n in listed}
            incoming = {s.name.casefold() for s in s_sheets}
            keep = self.keep_registered or (lambda _name: False)
            for s in user_sheets:
                if s.name.casefold() not in listed_cf:
                    continue
                if s.name.casefold() in incoming or not keep(s.name):
                    removed_sheets.append(s)
                else:
                    kept_registered.append(s)
        removed_ids = {id(s) for s in removed_sheets}
        kept_ids = {id(s) for s in kept_registered}
        kept_names = {s.name.casefold() for s in user_sheets if id(s) not in removed_ids}
        for s in s_sheets:
            if s.name.casefold() in kept_names:
                self._clash(
                    SheetNameCollisionError(
                        next(u.name for u in user_sheets if u.name.casefold() == s.name.casefold())
                    )
                )

        # Parts that only the removed sheets referenced.
        removed_roots = [s.part for s in removed_sheets if s.part]
        blocked = frozenset(removed_roots)
        live = user.reachable([""], blocked)
        gone = user.reachable(removed_roots) - live if removed_roots else set()
        for p in sorted(gone):
            self.removed.add(p)
            rp = user.find(rels_name(p))
            if rp is not None:
                self.removed.add(rp)

        # Scratch parts to bring over.
        closure = self._scratch_closure(s_wb_part, s_rels, s_sheets)

        # Table names and ids.
        user_tables = self._user_tables()
        user_global_names = {
            (el.get("name") or "").casefold()
            for el in wbx.defined_names(wb)
            if el.get("localSheetId") is None
            and (el.get("name") or "").casefold() != self.registry_name.casefold()
        }
        next_table_id = max([0, *(tid for tid, _ in user_tables)]) + 1
        user_table_names = {name.casefold(): name for _, name in user_tables}
        table_ids: dict[str, int] = {}
        for p in closure:
            if scratch.content_types.type_of(p) != CT_TABLE:
                continue
            _tid, name, display = sheetxml.table_info(scratch.xml(p))
            for n in sorted({name, display}):
                if n.casefold() in user_table_names:
                    self._clash(TableNameCollisionError(user_table_names[n.casefold()], "a table"))
                elif n.casefold() in user_global_names:
                    self._clash(TableNameCollisionError(n, "a defined name"))
            table_ids[p] = next_table_id
            next_table_id += 1

        # New part names.
        used = {n.lower() for n in user.names} - {n.lower() for n in self.removed}
        rename = {p: _allocate(p, used) for p in closure}

        # Styles.
        maps, styles_part = self._merge_styles(wb_part, wb_rels)

        # New tab order.
        removed_idx = {i for i, s in enumerate(user_sheets) if id(s) in removed_ids}
        plan = plan_order(user_sheets, removed_idx, s_sheets)
        slots = plan.slots

        # Sheet ids and relationship ids.
        next_sheet_id = max([0, *(s.sheet_id for s in user_sheets)]) + 1
        used_rids = {r.id for r in wb_rels}
        new_refs: dict[int, tuple[int, str]] = {}
        for j in range(len(s_sheets)):
            new_refs[j] = (next_sheet_id, _unused_rid(used_rids))
            next_sheet_id += 1

        def sheet_id_at(pos: int) -> int:
            k, j = slots[pos]
            return user_sheets[j].sheet_id if k == "user" else new_refs[j][0]

        def sheet_id_map(old_id: int) -> int | None:
            for i, s in enumerate(user_sheets):
                if s.sheet_id == old_id:
                    pos = plan.follow(i)
                    return sheet_id_at(0 if pos is None else pos) if slots else None
            return None

        # --- edit workbook.xml
        # Names scoped to a removed sheet go with it (the scratch brings its own).
        self.report.names_removed = wbx.remap_defined_names(wb, plan.user_pos.get)
        active = wbx.remap_views(wb, plan.follow, plan.visible, sheet_id_map)
        sheets_el = wbx.sheets_element(wb)
        if sheets_el is None:
            raise DamagedPackageError(f"{user.path.name} has no sheet list.")
        for el in sheets_el.findall(X.q(X.NS_MAIN, "sheet")):
            sheets_el.remove(el)
        for pos, (k, i) in enumerate(slots):
            if k == "user":
                sheets_el.append(user_sheets[i].el)
            else:
                sid, rid = new_refs[i]
                state = plan.states[pos]
                sheets_el.append(wbx.new_sheet_element(wb, s_sheets[i].name, sid, rid, state))
        final_names = [user_sheets[i].name if k == "user" else s_sheets[i].name for k, i in slots]
        for el in wbx.defined_names(s_wb):
            lid = el.get("localSheetId")
            wbx.insert_defined_name(
                wb,
                el.get("name", ""),
                el.text or "",
                final_names,
                local_sheet_id=None if lid is None else plan.new_pos[int(lid)],
                attrs=dict(el.attrib),
            )
        if self.register:
            generated = [
                user_sheets[i].name if k == "user" else s_sheets[i].name
                for k, i in slots
                if k == "new" or id(user_sheets[i]) in kept_ids
            ]
            value = reg.encode(generated)
            wbx.set_global_name(wb, self.registry_name, value, final_names, hidden=True)
        wbx.remove_empty_defined_names(wb)
        if self.recalc_on_open:
            wbx.request_full_calc(wb)

        # --- transplanted parts
        s_sst_part = next((r.part for r in s_rels if r.type == REL_SHARED_STRINGS), None)
        sst = sheetxml.shared_strings(scratch.xml(s_sst_part) if s_sst_part else None)
        sheet_parts = {s.part: j for j, s in enumerate(s_sheets)}
        for p in closure:
            data = scratch.read(p)
            if p in sheet_parts:
                j = sheet_parts[p]
                selected = plan.new_pos[j] == active
                if s_sheets[j].kind == "worksheet":
                    data = sheetxml.transform_worksheet(
                        data, p, maps, sst, selected, new_name=rename[p]
                    )
                else:
                    data = sheetxml.transform_chartsheet(data, p, selected)
            elif p in table_ids:
                data = sheetxml.transform_table(data, p, table_ids[p], maps)
            self._add(rename[p], data, p)
            rels = self._rewrite_rels(p, rename)
            if rels is not None:
                self._add(rels_name(rename[p]), rels, rels_name(p))

        # --- workbook rels, content types, calcChain, app.xml
        calc_chain = self._calc_chain_to_drop(wb_rels, removed_sheets)
        self._edit_workbook_rels(
            wb_part, wb_rels, removed_sheets, s_sheets, new_refs, rename, calc_chain, styles_part
        )
        self._edit_content_types()
        self.edited[wb_part] = X.serialise(wb)
        self._edit_app_xml(user_sheets, slots, s_sheets)

        self.report.sheets_removed = [s.name for s in removed_sheets]
        self.report.sheets_kept = [s.name for s in kept_registered]
        self.report.sheets_added = [s.name for s in s_sheets]

    def _add(self, name: str, data: bytes, source: str) -> None:
        self.new_parts[name] = data
        self.new_source[name] = source

    def _check_scratch_sheets(self, s_sheets: list[wbx.SheetRef]) -> None:
        seen: set[str] = set()
        for s in s_sheets:
            problem = sheet_name_problem(s.name)
            if problem:
                raise ScratchBookError(f"Generated sheet name '{s.name}' is invalid: {problem}.")
            if s.name.casefold() in seen:
                raise ScratchBookError(f"Generated sheet name '{s.name}' is used twice.")
            seen.add(s.name.casefold())
            if s.part is None or s.kind == "other":
                raise ScratchBookError(
                    f"Generated sheet '{s.name}' is not a worksheet or chart sheet."
                )

    def _scratch_closure(
        self, s_wb_part: str, s_rels: list, s_sheets: list[wbx.SheetRef]
    ) -> list[str]:
        """Scratch parts reachable from its sheets, in a stable order (sheets first)."""
        scratch = self.scratch
        workbook_level = {r.part for r in s_rels if r.part} - {s.part for s in s_sheets}
        workbook_level.add(s_wb_part)
        for s_el in wbx.defined_names(scratch.xml(s_wb_part)):
            if s_el.get("localSheetId") is None:
                raise ScratchBookError(
                    f"The generated book defines the workbook-wide name '{s_el.get('name')}'; "
                    f"only sheet-scoped names can be transplanted."
                )
        order: list[str] = []
        seen: set[str] = set()
        for s in s_sheets:
            stack = [s.part]
            while stack:
                p = stack.pop(0)
                if p is None or p in seen:
                    continue
                if p in workbook_level:
                    raise ScratchBookError(
                        f"A generated sheet refers to the workbook-level part {p}; "
                        f"it cannot be transplanted."
                    )
                seen.add(p)
                order.append(p)
                for r in scratch.rels(p):
                    if r.external:
                        continue
                    if r.type == REL_VML or p.lower().endswith(".vml"):
                        raise ScratchBookError(
                            "Generated sheets may not contain notes/comments, buttons or other "
                            "VML drawings (their shape ids would clash with the user's)."
                        )
                    if r.part is None:
                        if target_path(p, r.target):
                            raise ScratchBookError(
                                f"The generated part {p} refers to a missing part {r.target}."
                            )
                        continue
                    stack.append(r.part)
        for p in order:
            if scratch.content_types.type_of(p) is None:
                raise ScratchBookError(f"The generated part {p} has no content type.")
        return order

    def _user_tables(self) -> list[tuple[int, str]]:
        """(id, displayName) of the user's tables that stay in the workbook."""
        out: list[tuple[int, str]] = []
        for n in self.user.names:
            if n in self.removed or self.user.content_types.type_of(n) != CT_TABLE:
                continue
            tid, name, display = sheetxml.table_info(self.user.xml(n))
            out.append((tid, display or name))
            if name and name.casefold() != display.casefold():
                out.append((tid, name))
        return out

    def _merge_styles(self, wb_part: str, wb_rels: list) -> tuple[StyleMaps, str | None]:
        """Merge styles; returns the maps and the name of a styles part to add (if any)."""
        s_wb_part = self.scratch.main_part()
        s_styles = next(
            (r.part for r in self.scratch.rels(s_wb_part) if r.type == REL_STYLES), None
        )
        if s_styles is None:
            return StyleMaps(), None
        scratch_root = self.scratch.xml(s_styles)
        u_styles = next((r.part for r in wb_rels if r.type == REL_STYLES and r.part), None)
        if u_styles is None:
            # A workbook without a stylesheet: bring the scratch's whole.
            name = _allocate(
                posixpath.join(posixpath.dirname(wb_part), "styles.xml"),
                {n.lower() for n in self.user.names},
            )
            self._add(name, self.scratch.read(s_styles), s_styles)
            return StyleMaps(), name
        user_root = self.user.xml(u_styles)
        maps = merge_styles(user_root, scratch_root)
        if maps.changed:
            self.edited[u_styles] = X.serialise(user_root)
        return maps, None

    def _rewrite_rels(self, part: str, rename: dict[str, str]) -> bytes | None:
        rp = self.scratch.find(rels_name(part))
        if rp is None:
            return None
        root = self.scratch.xml(rp)
        new_source = rename[part]
        for el in root:
            if X.local_name(el) != "Relationship" or el.get("TargetMode") == "External":
                continue
            tp = target_path(part, el.get("Target", ""))
            actual = self.scratch.find(tp) if tp else None
            if actual is not None and actual in rename:
                el.set("Target", relative_target(new_source, rename[actual]))
        return X.serialise(root)

    def _calc_chain_to_drop(self, wb_rels: list, removed_sheets: list[wbx.SheetRef]) -> str | None:
        """calcChain part to drop when it lists cells of a removed sheet (else None)."""
        part = next((r.part for r in wb_rels if r.type == REL_CALC_CHAIN and r.part), None)
        if part is None or not removed_sheets:
            return None
        ids = {s.sheet_id for s in removed_sheets}
        current = None
        with self.user.zip.open(part) as fh:
            for _ev, el in etree.iterparse(
                fh, events=("end",), resolve_entities=False, no_network=True, load_dtd=False
            ):
                if X.local_name(el) == "c":
                    i = el.get("i")
                    if i is not None:
                        current = int(i)
                    if current in ids:
                        self.report.warnings.append(
                            "A replaced generated sheet contained formulas, so the calculation "
                            "chain (xl/calcChain.xml) was dropped; Excel rebuilds it on open."
                        )
                        self.removed.add(part)
                        return part
                    el.clear()
        return None

    def _edit_workbook_rels(
        self,
        wb_part: str,
        wb_rels: list,
        removed_sheets: list[wbx.SheetRef],
        s_sheets: list[wbx.SheetRef],
        new_refs: dict[int, tuple[int, str]],
        rename: dict[str, str],
        calc_chain: str | None,
        styles_part: str | None,
    ) -> None:
        rp = self.user.find(rels_name(wb_part))
        if rp is None:
            raise DamagedPackageError(f"{self.user.path.name} has no workbook relationships.")
        root = self.user.xml(rp)
        drop_ids = {s.rid for s in removed_sheets}
        if calc_chain is not None:
            drop_ids |= {r.id for r in wb_rels if r.part == calc_chain}
        for el in list(root):
            if X.local_name(el) == "Relationship" and el.get("Id") in drop_ids:
                root.remove(el)
        ns = X.namespace(root)
        for j, s in enumerate(s_sheets):
            el = etree.SubElement(root, X.q(ns, "Relationship"))
            el.set("Id", new_refs[j][1])
            el.set("Type", s.rel_type)
            el.set("Target", relative_target(wb_part, rename[s.part]))
        if styles_part is not None:
            used = {el.get("Id", "") for el in root}
            el = etree.SubElement(root, X.q(ns, "Relationship"))
            el.set("Id", _unused_rid(used))
            el.set("Type", REL_STYLES)
            el.set("Target", relative_target(wb_part, styles_part))
        self.edited[rp] = X.serialise(root)

    def _edit_content_types(self) -> None:
        """Drop overrides of removed parts; cover every new part with its scratch content type."""
        root = self.user.xml(self.user.find(CT_PART) or CT_PART)
        ns = X.namespace(root)
        removed_lower = {p.lower() for p in self.removed}
        for el in list(root):
            part_name = el.get("PartName", "").lstrip("/").lower()
            if X.local_name(el) == "Override" and part_name in removed_lower:
                root.remove(el)
        defaults = dict(self.user.content_types.defaults)
        s_ct = self.scratch.content_types
        for new_name, scratch_name in self.new_source.items():
            ct = s_ct.type_of(scratch_name)
            if ct is None:
                raise ScratchBookError(f"The generated part {scratch_name} has no content type.")
            ext = extension(new_name)
            if defaults.get(ext) == ct:
                continue
            if scratch_name.lower() not in s_ct.overrides and ext and ext not in defaults:
                el = etree.Element(X.q(ns, "Default"))
                el.set("Extension", ext)
                el.set("ContentType", ct)
                existing = [c for c in root if X.local_name(c) == "Default"]
                if existing:
                    existing[-1].addnext(el)
                else:
                    root.insert(0, el)
                defaults[ext] = ct
                continue
            el = etree.SubElement(root, X.q(ns, "Override"))
            el.set("PartName", "/" + new_name)
            el.set("ContentType", ct)
        self.edited[self.user.find(CT_PART) or CT_PART] = X.serialise(root)

    def _edit_app_xml(
        self,
        user_sheets: list[wbx.SheetRef],
        slots: list[tuple[str, int]],
        s_sheets: list[wbx.SheetRef],
    ) -> None:
        """Rewrite the sheet titles in docProps/app.xml (left alone when unrecognised)."""
        app = next(
            (r.part for r in self.user.rels("") if r.type == REL_EXTENDED_PROPERTIES and r.part),
            None,
        )
        if app is None:
            return
        before_ws = [s.name for s in user_sheets if s.kind == "worksheet"]
        before_cs = [s.name for s in user_sheets if s.kind == "chartsheet"]
        final = [user_sheets[i] if k == "user" else s_sheets[i] for k, i in slots]
        after_ws = [s.name for s in final if s.kind == "worksheet"]
        after_cs = [s.name for s in final if s.kind == "chartsheet"]
        try:
            root = self.user.xml(app)
        except SurgeryError:
            self.report.warnings.append(f"{app} is unreadable and was left as it was.")
            return
        if X.namespace(root) != X.NS_EP:
            return
        if update_app_xml(root, (before_ws, before_cs), (after_ws, after_cs)):
            self.edited[app] = X.serialise(root)
        elif (before_ws, before_cs) != (after_ws, after_cs):
            self.report.warnings.append(
                f"{app} has an unrecognised sheet list and was left as it was "
                f"(Excel rebuilds it on save)."
            )

    # ------------------------------------------------------------------ writing
    def write(self, out: Path) -> None:
        """Write the planned package; unchanged parts are streamed byte-for-byte."""
        user = self.user
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for info in user.infos:
                name = info.filename
                if name in self.removed:
                    self.report.parts_removed.append(name)
                    continue
                zi = zipfile.ZipInfo(name, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED if not info.is_dir() else zipfile.ZIP_STORED
                zi.external_attr = info.external_attr
                if name in self.edited:
                    zout.writestr(zi, self.edited[name])
                    self.report.parts_written.append(name)
                    continue
                if info.is_dir():
                    zout.writestr(zi, b"")
                    continue
                zi.file_size = info.file_size
                try:
                    with user.zip.open(info) as src, zout.open(zi, "w") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise DamagedPackageError(
                        f"Part {name} of {user.path.name} is damaged ({exc})."
                    ) from exc
                self.report.parts_copied.append(name)
            for name, data in self.new_parts.items():
                zi = zipfile.ZipInfo(name, date_time=_NEW_ENTRY_DATE)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(zi, data)
                self.report.parts_written.append(name)
