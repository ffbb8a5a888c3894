"""Checks on an untrusted .xlsx/.xlsm before any parser sees it.

Readers crash or hang on hostile files (excel-files.md §7): a 1.5 KB file claiming cell
XFD1048576 aborts python-calamine's whole process, and zip bombs exhaust memory. These checks read
zip metadata, the first bytes of each part, and the cell references of the sheets we will read.
They also collect cells holding Excel error values, which calamine reports as blanks.

The extent check is only as good as its agreement with calamine about which part holds a sheet
and where each cell sits, so both follow calamine's own rules (src/xlsx/mod.rs, cells_reader.rs),
and wherever the two could read a file differently the check takes the larger answer or refuses
the file: part names match case-insensitively and with backslashes, every `<sheet>` of a wanted
name counts whatever its namespace, every id-like attribute and every way of resolving a target is
followed, cells without an `r` attribute are placed by counting rows and cells as calamine does,
and comments, CDATA and quoted attribute values are skipped the way its XML parser skips them.
"""

from __future__ import annotations

import bisect
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import input_error

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024
MAX_CELLS_PER_SHEET = 50_000_000
MAX_ROW, MAX_COL = 1_048_576, 16_384
MAX_PROLOG = 1024 * 1024  # a part's content must start within this many bytes
MAX_WALK = 1024 * 1024  # sheets that need the tag-by-tag walk (cells without r=) stay small
MAX_ERROR_CELLS = 10_000  # more error cells than this make the book unusable anyway

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)

# XML as calamine's parser (quick-xml) splits it: comments, CDATA and processing instructions are
# skipped whole; any other `<!...>` is a declaration (refused); a tag runs to the first `>` outside
# quotes. `name` is None for skipped tokens.
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!(?P<bang>[^>]*+)>"
    rb"|<(?P<end>/?)(?P<name>[^\s/>]*+)(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>",
    re.DOTALL,
)
_ATTR = re.compile(rb"\s*([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# Fast path, for sheets where every cell opens `<c r="B7"` as Excel writes it: no prefixed cells,
# no other way of opening a cell, no declarations or comments. Then positions are exact.
_PREFIXED_C = re.compile(rb":c[\s/>]")
_ODD_R = re.compile(rb"r(?:(?<=[\t\n\r\f\v]r)\s*=|\s+=|=\s+|=')")  # r = "..", r='..'
_ODD_C = re.compile(rb'<c(?:[>/\t\n\r\f\v]| (?!r="[A-Za-z]++[0-9]++"[\s/>]))')
_C_REF = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"')
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_CELL_END = re.compile(rb"</(?:[^\s<>:/]*+:)?c\s*>")
_NEXT_CELL = re.compile(rb"<(?:[^\s<>:/]*+:)?c[\s/>]")
_VALUE = re.compile(rb"<(?:[^\s<>:/]*+:)?v>([^<]*)<")
_ENTITY = re.compile(rb"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"', b"apos": "'"}


@dataclass
class Checked:
    """What the precheck learned: sheet parts by name, and of the scanned sheets the error
    cells, the cells holding a formula with no saved value, and the merged ranges."""

    sheet_parts: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    unsaved_formulas: dict[str, set[str]] = field(default_factory=dict)
    merged: dict[str, list[str]] = field(default_factory=dict)


class _Refused(Exception):
    """A part is malformed or hostile; the message says how (the caller names the file)."""


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _ascii_lower(name: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in name)


def _part_key(name: str) -> str:
    """A zip member name as calamine matches it: backslashes as slashes, ASCII case ignored."""
    return _ascii_lower(name.replace("\\", "/"))


def _unescape(raw: bytes) -> str:
    def one(m: re.Match) -> str:
        ref = m.group(1)
        if ref in _NAMED:
            return _NAMED[ref]
        code = int(ref[2:], 16) if ref[:2] == b"#x" else int(ref[1:])
        return chr(code) if 0 < code <= 0x10FFFF else ""

    return _ENTITY.sub(lambda m: one(m).encode("utf-8", "surrogatepass"), raw).decode(
        "utf-8", "replace"
    )


def _tags(xml: bytes, part: str):
    """(is_end, local name, raw attributes, self-closing) for each tag, in document order.

    Like quick-xml, every `<` starts a token that runs to its end; one that never ends refuses
    the part (so no position is ever scanned twice: linear time on any input).
    """
    pos = xml.find(b"<")
    while pos >= 0:
        m = _TOKEN.match(xml, pos)
        if not m:
            raise _Refused(f"part {part} has an unfinished tag or comment")
        pos = xml.find(b"<", m.end())
        name = m.group("name")
        if name is None:
            if m.group("bang") is not None:
                raise _Refused(f"part {part} declares a DTD or entities, which Excel never writes")
            continue
        local = name.split(b":", 1)[-1]
        attrs = m.group("attrs")
        yield bool(m.group("end")), local, attrs, attrs.rstrip().endswith(b"/")


def _attrs(raw: bytes, part: str) -> list[tuple[bytes, bytes]]:
    """Attributes as (name, raw value), in order; refuses anything quick-xml would not parse,
    and a name given twice (which parsers resolve differently)."""
    out, pos, end = [], 0, len(raw.rstrip().rstrip(b"/"))
    while pos < end:
        m = _ATTR.match(raw, pos)
        if not m:
            if raw[pos:end].strip():
                raise _Refused(f"part {part} has a damaged tag (attributes {raw[:60]!r})")
            break
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out.append((m.group(1), value))
        pos = m.end()
    if len({k for k, _ in out}) < len(out):
        raise _Refused(f"part {part} has a tag with an attribute given twice ({raw[:60]!r})")
    return out


def _first(attrs: list[tuple[bytes, bytes]], key: bytes) -> bytes | None:
    return next((v for k, v in attrs if k == key), None)


def _local(key: bytes) -> bytes:
    return key.split(b":", 1)[-1]


def _variants(raw: bytes) -> set[str]:
    """An attribute value as calamine may use it (raw) and as an XML parser gives it."""
    return {raw.decode("utf-8", "replace"), _unescape(raw)}


def _part_candidates(target: str) -> set[str]:
    """Every part path a relationship target may mean (calamine's rule, OPC's rule, variants)."""
    target = target.replace("\\", "/")
    out = {"xl/" + target, target.lstrip("/")}
    if target.startswith("/xl/"):
        out.add(target[1:])
    elif target.startswith("xl/"):
        out.add(target)
    if not target.startswith("/"):
        out.add(posixpath.normpath(posixpath.join("xl", target)))
    return {_part_key(p) for p in out}


def _members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """Members by calamine's matching key; two members that calamine cannot tell apart refuse."""
    index: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        key = _part_key(info.filename)
        if key in index:
            raise input_error(
                None,
                None,
                f"{name} holds two parts named {info.filename} (a damaged or hostile file)",
            )
        index[key] = info
    return index


def sheet_parts(
    zf: zipfile.ZipFile, index: dict[str, zipfile.ZipInfo] | None = None
) -> dict[str, list[str]]:
    """Sheet name -> every part that may hold it, from workbook.xml and its relationships."""
    index = index if index is not None else {_part_key(i.filename): i for i in zf.infolist()}
    book_info = index.get("xl/workbook.xml")
    rels_info = index.get("xl/_rels/workbook.xml.rels")
    if book_info is None or rels_info is None:
        missing = "xl/workbook.xml" if book_info is None else "xl/_rels/workbook.xml.rels"
        raise input_error(None, None, f"not an Excel workbook: {missing} is missing")
    targets: dict[str, list[str]] = {}
    for is_end, local, raw, _ in _tags(zf.read(rels_info), rels_info.filename):
        if is_end or local != b"Relationship":
            continue
        attrs = _attrs(raw, rels_info.filename)
        rel_ids = [v for k, v in attrs if _local(k) == b"Id"]
        for target in (v for k, v in attrs if _local(k) == b"Target"):
            for rid in rel_ids:
                for key in _variants(rid):
                    targets.setdefault(key, []).extend(_variants(target))
    out: dict[str, list[str]] = {}
    for is_end, local, raw, _ in _tags(zf.read(book_info), book_info.filename):
        if is_end or local != b"sheet":
            continue
        attrs = _attrs(raw, book_info.filename)
        names = {n for k, v in attrs if _local(k) == b"name" for n in _variants(v)}
        ids = {i for k, v in attrs if _local(k) == b"id" for i in _variants(v)}
        paths = {p for i in ids for t in targets.get(i, []) for p in _part_candidates(t)}
        found = sorted(index[p].filename for p in paths if p in index)
        for sheet_name in names:
            out.setdefault(sheet_name, [])
            out[sheet_name] += [p for p in found if p not in out[sheet_name]]
    return out


def _declares_dtd(fh) -> bool:
    """A DTD or entity near the start, or a first element that does not come within MAX_PROLOG."""
    head = fh.read(MAX_PROLOG)
    if _DTD.search(head):
        return True
    pos = 0
    while (lt := head.find(b"<", pos)) >= 0:
        if head.startswith(b"<?", lt):
            end, skip = head.find(b"?>", lt + 2), 2
        elif head.startswith(b"<!--", lt):
            end, skip = head.find(b"-->", lt + 4), 3
        else:  # a declaration (<!DOCTYPE...) refuses; anything else is the first element
            return head.startswith(b"<!", lt)
        if end < 0:
            break
        pos = end + skip
    return len(head) >= MAX_PROLOG


def precheck(path: Path, scan_sheets: tuple[str, ...]) -> Checked:
    """Reject hostile or non-Excel files with a clear message; scan the named sheets' cells."""
    name = path.name
    if not path.exists():
        raise input_error(None, None, f"{path} does not exist")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise input_error(
            None,
            None,
            f"{name}: expected an .xlsx or .xlsm workbook (save it from Excel as 'Excel Workbook')",
        )
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        hint = ""
        try:
            with open(path, "rb") as fh:
                if fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                    hint = (
                        "; it looks like a password-protected workbook or an old .xls file: "
                        "remove the password, or save it from Excel as 'Excel Workbook (.xlsx)'"
                    )
        except OSError:
            pass
        raise input_error(
            None, None, f"{name} is not a readable Excel workbook ({exc}{hint})"
        ) from exc
    try:
        with zf:
            return _check_package(zf, name, scan_sheets)
    except _Refused as exc:
        raise input_error(None, None, f"{name}: {exc}; refusing it") from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # a compression method zipfile does not know
        zlib.error,
    ) as exc:
        raise input_error(
            None, None, f"{name} is damaged and cannot be read ({type(exc).__name__}: {exc})"
        ) from exc


def _check_package(zf: zipfile.ZipFile, name: str, scan_sheets: tuple[str, ...]) -> Checked:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise input_error(
            None,
            None,
            f"{name} has {len(infos):,} parts; refusing more than "
            f"{MAX_MEMBERS:,} (a damaged or hostile file)",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise input_error(
            None,
            None,
            f"{name} would expand to {total / 2**20:,.0f} MB; "
            f"refusing more than {MAX_TOTAL_UNCOMPRESSED // 2**20} MB",
        )
    for i in infos:
        if i.file_size > RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise input_error(
                None,
                None,
                f"{name}: part {i.filename} compresses "
                f"{i.file_size // max(i.compress_size, 1):,}:1, which only a "
                "zip bomb does; refusing to open it",
            )
    index = _members(zf, name)
    for i in infos:
        if _ascii_lower(i.filename).endswith((".xml", ".rels", ".vml")):
            with zf.open(i) as fh:
                if _declares_dtd(fh):
                    raise input_error(
                        None,
                        None,
                        f"{name}: part {i.filename} declares a "
                        "DTD or entities, which Excel never writes; refusing it",
                    )
    checked = Checked(sheet_parts(zf, index))
    for sheet in scan_sheets:
        for part in checked.sheet_parts.get(sheet, []):
            xml = zf.read(part)
            errors = _scan_sheet(xml, name, sheet, part)
            checked.errors.setdefault(sheet, {}).update(errors)
            checked.unsaved_formulas.setdefault(sheet, set()).update(unsaved_formula_cells(xml))
            checked.merged.setdefault(sheet, []).extend(merged_ranges(xml))
    return checked


# A plain cell beyond column ZZ or row 9999. Without one, the exact extent need not be computed.
_FAR_C_REF = re.compile(rb'<c r="(?:[A-Za-z]{3,}|[A-Za-z]{1,2}[0-9]{5,})')


def _scan_sheet(xml: bytes, book: str, sheet: str, part: str = "") -> dict[str, str]:
    """Check the cell extent (what calamine would allocate) and collect error cells."""
    plain = _plain_cells(xml)
    if plain and not _FAR_C_REF.search(xml):
        max_row = max_col = 0  # every cell within ZZ9999: at most 7 million cells, safe
    elif plain:
        refs = _C_REF.findall(xml)
        max_row = max((int(r) for r in {r for _, r in refs}), default=0)
        max_col = max((_col_number(c) for c in {c for c, _ in refs}), default=0)
    elif len(xml) > MAX_WALK:
        raise input_error(
            sheet,
            None,
            f"{book}: the sheet's XML is {len(xml) / 2**20:,.1f} MB and does not give every cell "
            "its position as Excel does; refusing it (open it in Excel and save it again)",
        )
    else:
        try:
            max_row, max_col = _walk_extent(xml, part)
        except _Refused as exc:
            raise input_error(sheet, None, f"{book}: {exc}; refusing it") from exc
    if max_row > MAX_ROW or max_col > MAX_COL or max_row * max_col > MAX_CELLS_PER_SHEET:
        raise input_error(
            sheet,
            None,
            f"{book}: the sheet claims cells up to row {max_row:,}, "
            f"column {max_col:,}; refusing more than {MAX_CELLS_PER_SHEET:,} cells",
        )
    return _error_cells(xml)


def _plain_cells(xml: bytes) -> bool:
    """Every cell opens with `<c r="<letters><digits>"` and no tag has another `r` attribute
    (calamine takes a cell's last `r`), so the fast path reads every position as calamine does."""
    if b"<!" in xml or _PREFIXED_C.search(xml) or _ODD_C.search(xml) or _ODD_R.search(xml):
        return False
    return xml.count(b' r="') == xml.count(b'<c r="') + xml.count(b'<row r="')


def _ref(raw: bytes, part: str, *, row_only: bool = False) -> tuple[int, int]:
    """calamine's get_row_column/get_row: 0-based (row, col); letters then digits, any case."""
    m = re.fullmatch(rb"([A-Za-z]*)([0-9]+)", raw)
    if not m or int(m.group(2)) == 0 or (not row_only and not m.group(1)):
        raise _Refused(f"part {part} has a bad cell reference {raw[:30]!r}")
    letters = m.group(1)
    return int(m.group(2)) - 1, (_col_number(letters) - 1 if letters else 0)


def _walk_extent(xml: bytes, part: str) -> tuple[int, int]:
    """The extent as calamine's cell reader computes it, tag by tag (1-based maxima).

    Rows without `r` follow the previous row and cells without `r` follow the previous cell,
    exactly as calamine counts them. Inside a cell, tags must nest properly and hold no further
    cells or rows (Excel never writes otherwise), so that this walk and calamine's agree.
    """
    row_index = col_index = 0
    max_row = max_col = 0
    open_tags: list[bytes] | None = None  # None outside a cell; tags open inside the cell
    for is_end, local, raw, empty in _tags(xml, part):
        if open_tags is not None:
            if is_end and not open_tags and local == b"c":
                open_tags = None
                col_index += 1
            elif is_end:
                if not open_tags or open_tags.pop() != local:
                    raise _Refused(f"part {part} has tags that do not nest inside a cell")
            elif local in (b"c", b"row"):
                raise _Refused(f"part {part} has a cell or row inside a cell")
            elif not empty:
                open_tags.append(local)
            continue
        if local == b"sheetData" and not is_end:
            row_index = col_index = 0
        elif local == b"row":
            if not is_end:
                r = _first(_attrs(raw, part), b"r")
                if r is not None:
                    row_index = _ref(r, part, row_only=True)[0]
            if is_end or empty:
                row_index += 1
                col_index = 0
        elif local == b"c" and not is_end:
            r = _first(_attrs(raw, part), b"r")
            if r is not None:
                row, col_index = _ref(r, part)
            else:
                row = row_index
            max_row, max_col = max(max_row, row + 1), max(max_col, col_index + 1)
            if empty:
                col_index += 1
            else:
                open_tags = []
    return max_row, max_col


def _error_cells(xml: bytes) -> dict[str, str]:
    """Cells whose cached value is an Excel error (t="e"), by cell name.

    One pass: each search starts after the last tag looked at, and a value is looked for only
    just after its cell's tag, so the time stays linear whatever the file holds; it stops after
    MAX_ERROR_CELLS (each is reported as a problem, so such a book is refused anyway).
    """
    errors: dict[str, str] = {}
    if b'"e"' not in xml and b"'e'" not in xml:
        return errors
    pos = 0
    while len(errors) < MAX_ERROR_CELLS and (m := _ERROR_TYPE.search(xml, pos)):
        start = xml.rfind(b"<", pos, m.start())
        tag = _TOKEN.match(xml, start) if start >= 0 else None
        pos = max(m.end(), tag.end() if tag else 0)
        if not tag or tag.group("name") is None or tag.group("end") or tag.end() < m.end():
            continue
        attrs = tag.group("attrs")
        if tag.group("name").split(b":", 1)[-1] != b"c" or attrs.rstrip().endswith(b"/"):
            continue
        try:
            parsed = _attrs(attrs, "")
        except _Refused:
            continue
        ref = _first(parsed, b"r")
        if (
            _first(parsed, b"t") != b"e"
            or not ref
            or not re.fullmatch(rb"[A-Za-z]{1,3}[0-9]{1,7}", ref)
        ):
            continue
        # the value lies between this tag and the cell's end (or, failing that, the next cell)
        bound = _NEXT_CELL.search(xml, tag.end())
        bound = bound.start() if bound else len(xml)
        end = _CELL_END.search(xml, tag.end(), bound)
        value = _VALUE.search(xml, tag.end(), end.start() if end else bound)
        if value:
            errors[ref.decode().upper()] = _unescape(value.group(1)).strip()
    return errors


_PREFIX = rb"<(?:[^\s<>:/]*+:)?"
_CELL_OPEN = re.compile(_PREFIX + rb"c(?=[\s/>])((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_F_OPEN = re.compile(_PREFIX + rb"f(?=[\s/>])")
_V_OPEN = re.compile(_PREFIX + rb"v(?:\s[^>]*?)?(?:/>|>([^<]*+))")
_T_STR = re.compile(rb"(?:^|\s)t\s*=\s*[\"']str[\"']")
_SHEETDATA_END = re.compile(rb"</(?:[^\s<>:/]*+:)?sheetData\s*>")
_R_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]{1,3}[0-9]{1,7})[\"']")
_MERGE = re.compile(_PREFIX + rb"mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Za-z0-9:$]{2,30})[\"']")


def unsaved_formula_cells(xml: bytes) -> set[str]:
    """Cells holding a formula but no saved value, by cell name: `<f>` with no `<v>` or an
    empty one (openpyxl writes `<v></v>`), except a saved empty text result (`t="str"`).

    Scripts and some tools write formulas without calculating them; every reader then sees a
    blank where the workbook means a number. Each cell runs from its tag to the next cell's (or
    the end of sheetData), and positions are found in one pass each, so the time stays linear.
    """
    if b"<f" not in xml and b":f" not in xml:  # no formula at all (a byte search is fast)
        return set()
    if not _F_OPEN.search(xml):
        return set()
    end = _SHEETDATA_END.search(xml)
    limit = end.start() if end else len(xml)
    cells = [(m.start(), m.group(1)) for m in _CELL_OPEN.finditer(xml, 0, limit)]
    formulas = [m.start() for m in _F_OPEN.finditer(xml, 0, limit)]
    found = [
        (m.start(), bool((m.group(1) or b"").strip())) for m in _V_OPEN.finditer(xml, 0, limit)
    ]
    values = [pos for pos, _ in found]
    out: set[str] = set()
    for i, (start, attrs) in enumerate(cells):
        stop = cells[i + 1][0] if i + 1 < len(cells) else limit
        f = bisect.bisect_left(formulas, start)
        if f == len(formulas) or formulas[f] >= stop:
            continue
        v = bisect.bisect_left(values, start)
        if v < len(values) and values[v] < stop and (found[v][1] or _T_STR.search(attrs)):
            continue
        ref = _R_ATTR.search(attrs)
        if ref:
            out.add(ref.group(1).decode().upper())
    return out


def merged_ranges(xml: bytes) -> list[str]:
    """Merged ranges ("C2:C5") of a sheet: only their first cell holds a value."""
    if b"mergeCell" not in xml:
        return []
    return [m.group(1).decode().replace("$", "").upper() for m in _MERGE.finditer(xml)]
