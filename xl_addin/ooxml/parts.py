"""Read an OPC package (.xlsx/.xlsm): zip entries, content types and relationships.

The surgery must copy every part it does not own byte-for-byte, so this module never
re-serialises anything: it only exposes raw bytes, parsed copies of small XML parts, and the
relationship graph that tells which parts belong to which sheet.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from . import xmlutil as X
from .errors import DamagedPackageError, UnsupportedWorkbookError

CT_PART = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"

REL_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
REL_STRICT_OFFICE_DOCUMENT = (
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
)
REL_EXTENDED_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
_REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_WORKSHEET = _REL_BASE + "worksheet"
REL_CHARTSHEET = _REL_BASE + "chartsheet"
REL_STYLES = _REL_BASE + "styles"
REL_SHARED_STRINGS = _REL_BASE + "sharedStrings"
REL_TABLE = _REL_BASE + "table"
REL_CALC_CHAIN = _REL_BASE + "calcChain"
REL_VML = _REL_BASE + "vmlDrawing"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Relationship:
    """One ``<Relationship>``; ``part`` is the resolved entry name (None: external/missing)."""

    id: str
    type: str
    target: str
    external: bool
    part: str | None


def extension(part: str) -> str:
    """Lower-case extension of a part name ('rels' for '_rels/.rels')."""
    base = posixpath.basename(part)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def rels_name(source: str) -> str:
    """Name of the .rels part holding the relationships of ``source`` ('' = the package)."""
    if not source:
        return ROOT_RELS
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", base + ".rels")


def source_of_rels(rels_part: str) -> str | None:
    """Inverse of :func:`rels_name`; None if the name is not a .rels part."""
    if rels_part == ROOT_RELS:
        return ""
    folder, base = posixpath.split(rels_part)
    if not base.endswith(".rels") or posixpath.basename(folder) != "_rels":
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def target_path(source: str, target: str) -> str | None:
    """Resolve a relationship Target against its source part (None for an empty target)."""
    t = target.split("#", 1)[0]
    if not t:
        return None
    p = t.lstrip("/") if t.startswith("/") else posixpath.join(posixpath.dirname(source), t)
    p = posixpath.normpath(p)
    return None if p.startswith("..") or p == "." else p


def relative_target(source: str, part: str) -> str:
    """Target text that points from ``source`` to ``part`` (relative, forward slashes)."""
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


class ContentTypes:
    """Parsed ``[Content_Types].xml``: Default by extension, Override by part name."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for el in root:
            name = X.local_name(el)
            if name == "Default":
                self.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif name == "Override":
                part = el.get("PartName", "").lstrip("/").lower()
                self.overrides[part] = el.get("ContentType", "")

    def type_of(self, part: str) -> str | None:
        """Content type of a part, or None if nothing covers it."""
        ct = self.overrides.get(part.lower())
        if ct is not None:
            return ct
        return self.defaults.get(extension(part))


class Package:
    """A read-only OPC package opened from a path; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise DamagedPackageError(f"Cannot read {self.path.name}: {exc}") from exc
        if head == _OLE_MAGIC:
            raise DamagedPackageError(
                f"{self.path.name} is password-protected (encrypted) or an old-format .xls "
                f"file. Remove the password / save it as .xlsx or .xlsm first."
            )
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise DamagedPackageError(
                f"{self.path.name} is not a valid .xlsx/.xlsm file (not a zip package)."
            ) from exc
        self.infos: list[zipfile.ZipInfo] = self.zip.infolist()
        self.names: list[str] = [i.filename for i in self.infos if not i.is_dir()]
        if len(set(self.names)) != len(self.names):
            raise DamagedPackageError(f"{self.path.name} contains duplicate zip entries.")
        self._names = set(self.names)
        self._lower = {n.lower(): n for n in self.names}
        if self.find(CT_PART) is None:
            raise DamagedPackageError(f"{self.path.name} has no [Content_Types].xml part.")
        self._rels_cache: dict[str, list[Relationship]] = {}
        self.content_types = ContentTypes(self.xml(self.find(CT_PART) or CT_PART))

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying zip file."""
        self.zip.close()

    def find(self, name: str) -> str | None:
        """Actual entry name for a part name (OPC names are case-insensitive), or None."""
        if name in self._names:
            return name
        hit = self._lower.get(name.lower())
        if hit is None and "%" in name:
            hit = self._lower.get(unquote(name).lower())
        return hit

    def read(self, name: str) -> bytes:
        """Raw bytes of a part (CRC-checked by zipfile)."""
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
            raise DamagedPackageError(
                f"Cannot read part {name} of {self.path.name}: {exc}"
            ) from exc

    def xml(self, name: str) -> etree._Element:
        """A freshly parsed copy of an XML part (safe parser)."""
        return X.parse(self.read(name), name)

    def rels(self, source: str) -> list[Relationship]:
        """Relationships of ``source`` ('' = the package root); [] if it has none."""
        if source in self._rels_cache:
            return self._rels_cache[source]
        out: list[Relationship] = []
        rp = self.find(rels_name(source))
        if rp is not None:
            for el in self.xml(rp):
                if X.local_name(el) != "Relationship":
                    continue
                target = el.get("Target", "")
                external = el.get("TargetMode", "Internal") == "External"
                part = None
                if not external:
                    tp = target_path(source, target)
                    part = self.find(tp) if tp else None
                out.append(
                    Relationship(el.get("Id", ""), el.get("Type", ""), target, external, part)
                )
        self._rels_cache[source] = out
        return out

    def dangling(self, source: str) -> list[Relationship]:
        """Internal relationships of ``source`` whose target part does not exist."""
        return [
            r
            for r in self.rels(source)
            if not r.external and r.part is None and target_path(source, r.target)
        ]

    def main_part(self) -> str:
        """Name of the workbook part (the package's officeDocument target)."""
        for r in self.rels(""):
            if r.type == REL_STRICT_OFFICE_DOCUMENT:
                raise UnsupportedWorkbookError(
                    f"{self.path.name} is saved as 'Strict Open XML Spreadsheet'. Save it as a "
                    f"normal Excel Workbook (.xlsx/.xlsm) first."
                )
            if r.type == REL_OFFICE_DOCUMENT and r.part is not None:
                return r.part
        raise DamagedPackageError(f"{self.path.name} has no workbook part.")

    def rel_sources(self) -> Iterator[str]:
        """Every part (and '' for the package) that has a .rels part."""
        for n in self.names:
            src = source_of_rels(n)
            if src is not None and (src == "" or self.find(src) is not None):
                yield src

    def reachable(self, roots: list[str], blocked: frozenset[str] = frozenset()) -> set[str]:
        """Parts reachable from ``roots`` via internal relationships, never entering ``blocked``."""
        seen: set[str] = set()
        stack = [r for r in roots if r not in blocked]
        while stack:
            src = stack.pop()
            if src in seen:
                continue
            seen.add(src)
            for r in self.rels(src):
                if r.part is not None and r.part not in seen and r.part not in blocked:
                    stack.append(r.part)
        seen.discard("")
        return seen
