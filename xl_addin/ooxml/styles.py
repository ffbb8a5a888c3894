"""Merge a scratch book's styles into the user's ``styles.xml``.

Cells refer to styles by index (``s=`` into cellXfs, ``dxfId`` into dxfs), so transplanted sheets
need the scratch's formats appended to the user's stylesheet and their indexes remapped. Entries
are de-duplicated against what the user already has, so refreshing every month does not grow the
stylesheet: a second refresh with the same formats appends nothing and leaves styles.xml as it is.

Index 0 of fonts/fills/borders/cellXfs (and fill 1, the reserved gray125) map to the user's own
defaults, so generated sheets adopt the workbook's default font. Every scratch ``xfId`` (named
cell style) maps to the user's style 0 ("Normal"); named cell styles are not transplanted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from . import xmlutil as X

# Schema order of <styleSheet> children (ECMA-376 Part 1, CT_Stylesheet).
_ORDER = [
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
]
_FIRST_CUSTOM_NUMFMT = 164


@dataclass
class StyleMaps:
    """Index maps from scratch styles to merged user styles."""

    xf: dict[int, int] = field(default_factory=dict)
    dxf: dict[int, int] = field(default_factory=dict)
    changed: bool = False

    def map_xf(self, value: str | None) -> str | None:
        """Remap a cell/row/column style index (identity when unknown)."""
        if value is None:
            return None
        return str(self.xf.get(int(value), int(value)))

    def map_dxf(self, value: str | None) -> str | None:
        """Remap a differential-format index (identity when unknown)."""
        if value is None:
            return None
        return str(self.dxf.get(int(value), int(value)))


def _container(root: etree._Element, name: str) -> etree._Element:
    """The styleSheet child ``name``, created at its schema position when missing."""
    found = X.child(root, name)
    if found is not None:
        return found
    ns = X.namespace(root)
    el = etree.Element(X.q(ns, name) if ns else name)
    el.set("count", "0")
    rank = _ORDER.index(name)
    for i, c in enumerate(root):
        ln = X.local_name(c)
        if ln in _ORDER and _ORDER.index(ln) > rank:
            root.insert(i, el)
            break
    else:
        root.append(el)
    return el


def _items(parent: etree._Element | None, local: str) -> list[etree._Element]:
    return [] if parent is None else X.children(parent, local)


class _Pool:
    """An appendable, de-duplicated list of style records in the user's stylesheet."""

    def __init__(self, root: etree._Element, container: str, item: str) -> None:
        self.root = root
        self.container_name = container
        self.item = item
        self.container = X.child(root, container)
        self.keys: dict[tuple, int] = {}
        for i, el in enumerate(_items(self.container, item)):
            self.keys.setdefault(X.canonical_key(el), i)
        self.count = len(_items(self.container, item))
        self.appended = 0

    def add(self, el: etree._Element) -> int:
        """Index of an equal record, appending a copy when there is none."""
        key = X.canonical_key(el)
        hit = self.keys.get(key)
        if hit is not None:
            return hit
        if self.container is None:
            self.container = _container(self.root, self.container_name)
        self.container.append(copy.deepcopy(el))
        idx = self.count
        self.count += 1
        self.appended += 1
        self.keys[key] = idx
        return idx

    def fix_count(self) -> None:
        if self.appended and self.container is not None:
            self.container.set("count", str(self.count))


def _retag(el: etree._Element, ns: str) -> etree._Element:
    """Deep copy of ``el`` with every element in the scratch main namespace moved to ``ns``."""
    out = copy.deepcopy(el)
    if not ns:
        return out
    for e in out.iter():
        if isinstance(e.tag, str) and X.namespace(e) == X.NS_MAIN:
            e.tag = X.q(ns, X.local_name(e))
    return out


def merge_styles(user_root: etree._Element, scratch_root: etree._Element) -> StyleMaps:
    """Append the scratch stylesheet's records to ``user_root`` (edited in place)."""
    maps = StyleMaps()
    ns = X.namespace(user_root)

    # Number formats: reuse by format code, renumber custom ids to unused ones.
    user_nf = X.child(user_root, "numFmts")
    code_to_id: dict[str, int] = {}
    used_ids: set[int] = set()
    for nf in _items(user_nf, "numFmt"):
        fid = int(nf.get("numFmtId", "0"))
        used_ids.add(fid)
        code_to_id.setdefault(nf.get("formatCode", ""), fid)
    numfmt_map: dict[int, int] = {}
    appended_nf = 0
    for nf in _items(X.child(scratch_root, "numFmts"), "numFmt"):
        fid = int(nf.get("numFmtId", "0"))
        code = nf.get("formatCode", "")
        if fid < _FIRST_CUSTOM_NUMFMT:
            numfmt_map[fid] = fid
            continue
        if code in code_to_id and code_to_id[code] >= _FIRST_CUSTOM_NUMFMT:
            numfmt_map[fid] = code_to_id[code]
            continue
        new_id = max([_FIRST_CUSTOM_NUMFMT - 1, *used_ids]) + 1
        used_ids.add(new_id)
        code_to_id[code] = new_id
        numfmt_map[fid] = new_id
        if user_nf is None:
            user_nf = _container(user_root, "numFmts")
        el = etree.SubElement(user_nf, X.q(ns, "numFmt") if ns else "numFmt")
        el.set("numFmtId", str(new_id))
        el.set("formatCode", code)
        appended_nf += 1
    if appended_nf and user_nf is not None:
        user_nf.set("count", str(len(_items(user_nf, "numFmt"))))

    def pool_map(container: str, item: str, reserved: int) -> tuple[_Pool, dict[int, int]]:
        pool = _Pool(user_root, container, item)
        mapping: dict[int, int] = {}
        for i, el in enumerate(_items(X.child(scratch_root, container), item)):
            mapping[i] = i if i < reserved else pool.add(_retag(el, ns))
        return pool, mapping

    fonts, font_map = pool_map("fonts", "font", 1)
    fills, fill_map = pool_map("fills", "fill", 2)
    borders, border_map = pool_map("borders", "border", 1)

    xfs = _Pool(user_root, "cellXfs", "xf")
    for i, el in enumerate(_items(X.child(scratch_root, "cellXfs"), "xf")):
        if i == 0:
            maps.xf[0] = 0
            continue
        xf = _retag(el, ns)
        for attr, m in (
            ("numFmtId", numfmt_map),
            ("fontId", font_map),
            ("fillId", fill_map),
            ("borderId", border_map),
        ):
            v = xf.get(attr)
            if v is not None:
                xf.set(attr, str(m.get(int(v), int(v))))
        if xf.get("xfId") is not None:
            xf.set("xfId", "0")
        maps.xf[i] = xfs.add(xf)

    dxfs = _Pool(user_root, "dxfs", "dxf")
    for i, el in enumerate(_items(X.child(scratch_root, "dxfs"), "dxf")):
        dxf = _retag(el, ns)
        nf = X.child(dxf, "numFmt")
        if nf is not None and nf.get("numFmtId") is not None:
            fid = int(nf.get("numFmtId", "0"))
            code = nf.get("formatCode", "")
            if fid in numfmt_map:
                nf.set("numFmtId", str(numfmt_map[fid]))
            elif fid >= _FIRST_CUSTOM_NUMFMT:
                new_id = code_to_id.get(code)
                if new_id is None:
                    new_id = max([_FIRST_CUSTOM_NUMFMT - 1, *used_ids]) + 1
                    used_ids.add(new_id)
                nf.set("numFmtId", str(new_id))
        maps.dxf[i] = dxfs.add(dxf)

    for pool in (fonts, fills, borders, xfs, dxfs):
        pool.fix_count()
    maps.changed = bool(
        appended_nf
        or fonts.appended
        or fills.appended
        or borders.appended
        or xfs.appended
        or dxfs.appended
    )
    return maps
