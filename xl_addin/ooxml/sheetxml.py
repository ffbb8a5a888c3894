"""Rewrite transplanted sheet and table parts so they fit the user's package.

* Style indexes (``c/@s``, ``row/@s``, ``col/@style``) and dxf indexes (``cfRule/@dxfId``,
  table ``*DxfId``) are remapped to the merged stylesheet.
* Shared-string cells become inline strings, so the user's ``sharedStrings.xml`` stays untouched.
* ``tabSelected`` is cleared (two selected tabs make Excel open the book with sheets grouped)
  unless this sheet is the book's active tab.
* Table ids are renumbered to be unique in the workbook.
"""

from __future__ import annotations

import copy
import re
import uuid

from lxml import etree

from . import xmlutil as X
from .errors import ScratchBookError
from .styles import StyleMaps


def shared_strings(root: etree._Element | None) -> list[etree._Element]:
    """The ``<si>`` items of a sharedStrings part (index = shared-string id)."""
    return [] if root is None else X.children(root, "si")


def _set_selected(root: etree._Element, selected: bool) -> None:
    views = X.child(root, "sheetViews")
    if views is None:
        return
    for i, view in enumerate(X.children(views, "sheetView")):
        if selected and i == 0:
            view.set("tabSelected", "1")
        elif view.get("tabSelected") is not None:
            del view.attrib["tabSelected"]


def _inline(cell: etree._Element, items: list[etree._Element], part: str) -> None:
    ns = X.namespace(cell)
    v = X.child(cell, "v")
    if v is None or v.text is None:
        return
    try:
        si = items[int(v.text)]
    except (ValueError, IndexError) as exc:
        raise ValueError(f"{part}: cell {cell.get('r')} refers to a missing shared string") from exc
    cell.remove(v)
    is_el = etree.SubElement(cell, X.q(ns, "is") if ns else "is")
    for item in si:
        if isinstance(item.tag, str):
            is_el.append(copy.deepcopy(item))
    for t in is_el.iter(X.q(ns, "t") if ns else "t"):
        text = t.text or ""
        if text != text.strip():
            t.set(X.XML_SPACE, "preserve")
    cell.set("t", "inlineStr")


NS_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
_GUID = re.compile(r"^\{[0-9A-Fa-f-]{36}\}$")


def _renew_x14_ids(root: etree._Element, salt: str) -> None:
    """Give 2010 conditional-format ids fresh GUIDs.

    XlsxWriter numbers them predictably ({DA7ABA51-AAAA-BBBB-0001-...}), so a user book that
    XlsxWriter once wrote can hold the very same ids. Ids are derived from ``salt`` (the new
    part name) so output stays deterministic.
    """
    mapping: dict[str, str] = {}

    def fresh(old: str) -> str:
        if old not in mapping:
            new = uuid.uuid5(uuid.NAMESPACE_URL, f"xl_addin:{salt}:{old.upper()}")
            mapping[old] = "{" + str(new).upper() + "}"
        return mapping[old]

    for el in root.iter(X.q(NS_X14, "id")):
        if el.text and _GUID.match(el.text.strip()):
            el.text = fresh(el.text.strip())
    for el in root.iter(X.q(NS_X14, "cfRule")):
        rid = el.get("id")
        if rid and _GUID.match(rid):
            el.set("id", fresh(rid))


def transform_worksheet(
    data: bytes,
    part: str,
    maps: StyleMaps,
    sst: list[etree._Element],
    selected: bool,
    new_name: str = "",
) -> bytes:
    """Worksheet part bytes with styles remapped, strings inlined and tab selection set."""
    root = X.parse(data, part)
    _renew_x14_ids(root, new_name or part)
    for el in list(root.iter()):  # a snapshot: inlining strings adds elements
        if not isinstance(el.tag, str) or X.namespace(el) != X.NS_MAIN:
            continue
        name = X.local_name(el)
        if name == "c":
            if el.get("cm") is not None or el.get("vm") is not None:
                raise ScratchBookError(
                    f"Generated sheet part {part} uses dynamic-array formulas or in-cell "
                    f"pictures (cell {el.get('r')}); write plain values instead."
                )
            if el.get("s") is not None:
                el.set("s", maps.map_xf(el.get("s")) or "0")
            if el.get("t") == "s":
                _inline(el, sst, part)
        elif name == "row":
            if el.get("s") is not None:
                el.set("s", maps.map_xf(el.get("s")) or "0")
        elif name == "col":
            if el.get("style") is not None:
                el.set("style", maps.map_xf(el.get("style")) or "0")
        elif name == "cfRule" and el.get("dxfId") is not None:
            el.set("dxfId", maps.map_dxf(el.get("dxfId")) or "0")
    _set_selected(root, selected)
    return X.serialise(root)


def transform_chartsheet(data: bytes, part: str, selected: bool) -> bytes:
    """Chartsheet part bytes with tab selection set."""
    root = X.parse(data, part)
    _set_selected(root, selected)
    return X.serialise(root)


def transform_table(data: bytes, part: str, table_id: int, maps: StyleMaps) -> bytes:
    """Table part bytes with a workbook-unique id and remapped dxf indexes."""
    root = X.parse(data, part)
    root.set("id", str(table_id))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            local = str(attr).rsplit("}", 1)[-1]
            if "}" not in str(attr) and (local == "dxfId" or local.endswith("DxfId")):
                el.set(attr, maps.map_dxf(el.get(attr)) or "0")
    return X.serialise(root)


def table_info(root: etree._Element) -> tuple[int, str, str]:
    """(id, name, displayName) of a parsed table part."""
    return (
        int(root.get("id", "0") or 0),
        root.get("name", ""),
        root.get("displayName", root.get("name", "")),
    )
