"""Read and edit ``xl/workbook.xml``: the sheet list, defined names and book views.

Defined names and book views refer to sheets by *index* in the ``<sheets>`` list
(``localSheetId``, ``activeTab``, ``firstSheet``), so any insertion or removal of a sheet must
remap them; ``customWorkbookViews`` refer to sheets by ``sheetId`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from . import xmlutil as X
from .parts import REL_CHARTSHEET, REL_WORKSHEET, Relationship

# Schema order of the <workbook> children that may precede <definedNames>.
_BEFORE_DEFINED_NAMES = ("sheets", "functionGroups", "externalReferences")


@dataclass
class SheetRef:
    """One ``<sheet>`` of a workbook and the part it points to."""

    el: etree._Element
    name: str
    sheet_id: int
    rid: str
    state: str
    part: str | None
    rel_type: str

    @property
    def kind(self) -> str:
        """'worksheet', 'chartsheet' or 'other' (dialog and macro sheets)."""
        if self.rel_type == REL_WORKSHEET:
            return "worksheet"
        if self.rel_type == REL_CHARTSHEET:
            return "chartsheet"
        return "other"


def sheets_element(root: etree._Element) -> etree._Element | None:
    """The ``<sheets>`` element of a workbook part."""
    return X.child(root, "sheets")


def read_sheets(root: etree._Element, rels: list[Relationship]) -> list[SheetRef]:
    """Sheets in tab order with their target parts."""
    by_id = {r.id: r for r in rels}
    out: list[SheetRef] = []
    sheets = sheets_element(root)
    if sheets is None:
        return out
    for el in X.children(sheets, "sheet"):
        rid = el.get(X.q(X.NS_R, "id"), "")
        rel = by_id.get(rid)
        try:
            sid = int(el.get("sheetId", "0"))
        except ValueError:
            sid = 0
        out.append(
            SheetRef(
                el=el,
                name=el.get("name", ""),
                sheet_id=sid,
                rid=rid,
                state=el.get("state", "visible"),
                part=None if rel is None or rel.external else rel.part,
                rel_type="" if rel is None else rel.type,
            )
        )
    return out


def defined_names(root: etree._Element) -> list[etree._Element]:
    """All ``<definedName>`` elements."""
    dn = X.child(root, "definedNames")
    return [] if dn is None else X.children(dn, "definedName")


def global_name_value(root: etree._Element, name: str) -> str | None:
    """Formula text of a workbook-scoped defined name, or None."""
    for el in defined_names(root):
        if el.get("localSheetId") is None and (el.get("name") or "").casefold() == name.casefold():
            return el.text or ""
    return None


def ensure_defined_names(root: etree._Element) -> etree._Element:
    """The ``<definedNames>`` element, created at its schema position when missing."""
    found = X.child(root, "definedNames")
    if found is not None:
        return found
    ns = X.namespace(root)
    el = etree.Element(X.q(ns, "definedNames"))
    anchor = None
    for c in root:
        if X.local_name(c) in _BEFORE_DEFINED_NAMES:
            anchor = c
    if anchor is None:
        root.append(el)
    else:
        anchor.addnext(el)
    return el


def remap_defined_names(root: etree._Element, index_map: Callable[[int], int | None]) -> list[str]:
    """Remap ``localSheetId``; drop names whose sheet is gone. Returns the dropped names."""
    dropped: list[str] = []
    dn = X.child(root, "definedNames")
    if dn is None:
        return dropped
    for el in X.children(dn, "definedName"):
        lid = el.get("localSheetId")
        if lid is None:
            continue
        try:
            new = index_map(int(lid))
        except ValueError:
            continue
        if new is None:
            dropped.append(el.get("name", ""))
            dn.remove(el)
        elif new != int(lid):
            el.set("localSheetId", str(new))
    return dropped


def remove_empty_defined_names(root: etree._Element) -> None:
    """An empty ``<definedNames/>`` is dropped rather than left behind."""
    dn = X.child(root, "definedNames")
    if dn is not None and not X.children(dn, "definedName"):
        root.remove(dn)


def _name_key(el: etree._Element, sheet_names: list[str]) -> str:
    """Excel's sort key for defined names (name without ``_xlnm.``, then scope sheet name)."""
    name = (el.get("name") or "").replace("_xlnm.", "").lower()
    lid = el.get("localSheetId")
    sheet = ""
    if lid is not None and lid.isdigit() and int(lid) < len(sheet_names):
        sheet = sheet_names[int(lid)].replace("'", "").lower()
    return f"{name}::{sheet}"


def insert_defined_name(
    root: etree._Element,
    name: str,
    value: str,
    sheet_names: list[str],
    *,
    local_sheet_id: int | None = None,
    attrs: dict[str, str] | None = None,
) -> etree._Element:
    """Add a ``<definedName>`` where Excel's own (sorted) order would put it."""
    dn = ensure_defined_names(root)
    el = etree.Element(X.q(X.namespace(root), "definedName"))
    el.set("name", name)
    for k, v in (attrs or {}).items():
        if k not in ("name", "localSheetId"):
            el.set(k, v)
    if local_sheet_id is not None:
        el.set("localSheetId", str(local_sheet_id))
    el.text = value
    key = _name_key(el, sheet_names)
    for other in X.children(dn, "definedName"):
        if _name_key(other, sheet_names) > key:
            other.addprevious(el)
            break
    else:
        dn.append(el)
    return el


def set_global_name(
    root: etree._Element, name: str, value: str, sheet_names: list[str], *, hidden: bool
) -> None:
    """Create or replace a workbook-scoped defined name."""
    dn = ensure_defined_names(root)
    for el in X.children(dn, "definedName"):
        if el.get("localSheetId") is None and (el.get("name") or "").casefold() == name.casefold():
            dn.remove(el)
    insert_defined_name(root, name, value, sheet_names, attrs={"hidden": "1"} if hidden else None)


def new_sheet_element(
    root: etree._Element, name: str, sheet_id: int, rid: str, state: str
) -> etree._Element:
    """A ``<sheet>`` element in the workbook's own namespaces."""
    ns = X.namespace(root)
    sheets = sheets_element(root)
    in_scope = sheets.nsmap if sheets is not None else root.nsmap
    nsmap = None if X.NS_R in in_scope.values() else {"r": X.NS_R}
    el = etree.Element(X.q(ns, "sheet"), nsmap=nsmap)
    el.set("name", name)
    el.set("sheetId", str(sheet_id))
    if state != "visible":
        el.set("state", state)
    el.set(X.q(X.NS_R, "id"), rid)
    return el


def remap_views(
    root: etree._Element,
    index_map: Callable[[int], int | None],
    visible: list[bool],
    sheet_id_map: Callable[[int], int | None],
) -> int:
    """Remap book views to the new sheet order; returns the (first view's) active tab."""
    n = len(visible)
    first_visible = next((i for i, v in enumerate(visible) if v), 0)
    active_first: int | None = None
    views = X.child(root, "bookViews")
    for view in [] if views is None else X.children(views, "workbookView"):
        for attr in ("activeTab", "firstSheet"):
            cur = view.get(attr)
            try:
                old = int(cur or 0)
            except ValueError:
                old = 0
            new = index_map(old)
            if new is None or new >= n:
                new = first_visible
            if attr == "activeTab" and n and not visible[new]:
                new = first_visible
            if cur is None and new == 0:
                continue
            if cur != str(new):
                view.set(attr, str(new))
        if active_first is None:
            active_first = int(view.get("activeTab", "0") or 0)
    cviews = X.child(root, "customWorkbookViews")
    for cv in [] if cviews is None else X.children(cviews, "customWorkbookView"):
        sid = cv.get("activeSheetId")
        if sid is not None and sid.isdigit():
            new_sid = sheet_id_map(int(sid))
            if new_sid is not None and new_sid != int(sid):
                cv.set("activeSheetId", str(new_sid))
    return active_first if active_first is not None else 0


def request_full_calc(root: etree._Element) -> None:
    """Set ``calcPr/@fullCalcOnLoad`` so Excel recalculates user formulas that read our sheets."""
    calc = X.child(root, "calcPr")
    if calc is None:
        calc = etree.Element(X.q(X.namespace(root), "calcPr"))
        anchor = None
        for c in root:
            if X.local_name(c) in (*_BEFORE_DEFINED_NAMES, "definedNames"):
                anchor = c
        if anchor is None:
            root.append(calc)
        else:
            anchor.addnext(calc)
    calc.set("fullCalcOnLoad", "1")


def structure_locked(root: etree._Element) -> bool:
    """True when Review > Protect Workbook (structure) is on."""
    prot = X.child(root, "workbookProtection")
    return prot is not None and prot.get("lockStructure") in ("1", "true")


def uses_1904_dates(root: etree._Element) -> bool:
    """True when the workbook counts dates from 1904 (File > Options > Advanced, old Mac books).

    A date is a number of days from the epoch, so the same cell value means a date four years
    and a day apart in the two systems.
    """
    pr = X.child(root, "workbookPr")
    return pr is not None and pr.get("date1904") in ("1", "true")
