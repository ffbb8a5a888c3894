"""Keep ``docProps/app.xml`` (sheet titles and counts) in step with the sheet list.

Excel lists the sheets in ``TitlesOfParts``, grouped by ``HeadingPairs`` (label, count). The
labels are localised ("Worksheets", "Arbeitsblätter", ...), so groups are recognised by their
contents, not their labels: the worksheet group is the one whose titles are exactly the
workbook's worksheets before the surgery, likewise for chart sheets. When the structure is not
recognised the part is left untouched: Excel rebuilds it on save and never repairs a stale one.
"""

from __future__ import annotations

from lxml import etree

from . import xmlutil as X

_LP = X.q(X.NS_VT, "lpstr")
_I4 = X.q(X.NS_VT, "i4")


def _vector(el: etree._Element | None) -> etree._Element | None:
    if el is None:
        return None
    vec = X.child(el, "vector")
    return vec if vec is not None and X.namespace(vec) == X.NS_VT else None


def _variant_value(variant: etree._Element) -> tuple[str, str | None]:
    for c in variant:
        if isinstance(c.tag, str):
            return X.local_name(c), c.text
    return "", None


def update_app_xml(
    root: etree._Element,
    before: tuple[list[str], list[str]],
    after: tuple[list[str], list[str]],
) -> bool:
    """Rewrite the worksheet/chart groups; return False (and change nothing) if unrecognised.

    ``before``/``after`` are (worksheet names, chartsheet names) in tab order.
    """
    hp_vec = _vector(X.child(root, "HeadingPairs"))
    tp_vec = _vector(X.child(root, "TitlesOfParts"))
    if hp_vec is None or tp_vec is None:
        return False
    variants = [v for v in hp_vec if X.local_name(v) == "variant"]
    titles_el = [t for t in tp_vec if isinstance(t.tag, str)]
    if len(variants) % 2 or any(X.local_name(t) not in ("lpstr", "bstr") for t in titles_el):
        return False
    titles = [t.text or "" for t in titles_el]
    groups: list[tuple[str, list[str]]] = []
    pos = 0
    for i in range(0, len(variants), 2):
        kind_l, label = _variant_value(variants[i])
        kind_c, count = _variant_value(variants[i + 1])
        if kind_l not in ("lpstr", "bstr") or kind_c != "i4":
            return False
        try:
            n = int(count or "0")
        except ValueError:
            return False
        groups.append((label or "", titles[pos : pos + n]))
        pos += n
    if pos != len(titles):
        return False

    ws_before, cs_before = before
    ws_after, cs_after = after
    ws_idx = cs_idx = None
    for i, (_label, items) in enumerate(groups):
        if ws_idx is None and ws_before and sorted(items) == sorted(ws_before):
            ws_idx = i
        elif cs_idx is None and cs_before and sorted(items) == sorted(cs_before):
            cs_idx = i
    if (ws_before and ws_idx is None) or (cs_before and cs_idx is None):
        return False

    new_groups: list[tuple[str, list[str]]] = []
    for i, (label, items) in enumerate(groups):
        if i == ws_idx:
            new_groups.append((label, list(ws_after)))
        elif i == cs_idx:
            new_groups.append((label, list(cs_after)))
        else:
            new_groups.append((label, items))
    if ws_idx is None and ws_after:
        new_groups.insert(0, ("Worksheets", list(ws_after)))
        ws_idx = 0
        cs_idx = None if cs_idx is None else cs_idx + 1
    if cs_idx is None and cs_after:
        new_groups.insert(0 if ws_idx is None else ws_idx + 1, ("Charts", list(cs_after)))
    new_groups = [g for g in new_groups if g[1]]
    if new_groups == groups:
        return False

    for el in list(hp_vec):
        hp_vec.remove(el)
    for el in list(tp_vec):
        tp_vec.remove(el)
    vns = X.namespace(hp_vec)
    for label, items in new_groups:
        v1 = etree.SubElement(hp_vec, X.q(vns, "variant"))
        etree.SubElement(v1, _LP).text = label
        v2 = etree.SubElement(hp_vec, X.q(vns, "variant"))
        etree.SubElement(v2, _I4).text = str(len(items))
        for item in items:
            etree.SubElement(tp_vec, _LP).text = item
    hp_vec.set("size", str(2 * len(new_groups)))
    tp_vec.set("size", str(sum(len(items) for _, items in new_groups)))
    return True
