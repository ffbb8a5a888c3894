"""Safe XML parsing and serialisation for package parts.

Workbooks come from users and may be hostile, so every part is parsed without DTDs, entity
expansion or network access, and a part that declares a DTD is refused outright (Excel never
writes one). Serialisation keeps the prefixes and namespace declarations lxml read, so
``mc:Ignorable`` lists stay valid.
"""

from __future__ import annotations

from lxml import etree

from .errors import DamagedPackageError

# Namespaces used by the surgery (transitional OOXML only).
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
        huge_tree=False,
    )


def parse(data: bytes, part: str = "?") -> etree._Element:
    """Parse one part's bytes; refuse DTDs and malformed XML with a named error."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise DamagedPackageError(f"The part {part} is not well-formed XML ({exc}).") from exc
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise DamagedPackageError(
            f"The part {part} declares a DTD, which Excel never writes; refusing to process it."
        )
    return root


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def serialise(root: etree._Element) -> bytes:
    """Serialise an edited part the way Excel writes it (UTF-8, standalone declaration)."""
    before = [etree.tostring(n, encoding="UTF-8") for n in root.itersiblings(preceding=True)]
    after = [etree.tostring(n, encoding="UTF-8") for n in root.itersiblings()]
    body = etree.tostring(root, encoding="UTF-8", with_tail=False)
    return _DECLARATION + b"".join([*reversed(before), body, *after])


def q(ns: str, local: str) -> str:
    """Clark-notation tag ``{ns}local``."""
    return f"{{{ns}}}{local}"


def local_name(el: etree._Element) -> str:
    """Local part of an element's tag ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(el: etree._Element) -> str:
    """Namespace URI of an element's tag ('' when unqualified)."""
    tag = el.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def children(el: etree._Element, local: str) -> list[etree._Element]:
    """Child elements with a given local name, in any namespace (prefix-agnostic)."""
    return [c for c in el if local_name(c) == local]


def child(el: etree._Element, local: str) -> etree._Element | None:
    """First child element with a given local name, or None."""
    for c in el:
        if local_name(c) == local:
            return c
    return None


def canonical_key(el: etree._Element) -> tuple:
    """Structural identity of an element (tag, attributes, text, children) for de-duplication."""
    attrs = tuple(sorted((str(k), str(v)) for k, v in el.attrib.items()))
    text = (el.text or "").strip()
    kids = tuple(canonical_key(c) for c in el if isinstance(c.tag, str))
    return (el.tag, attrs, text, kids)
