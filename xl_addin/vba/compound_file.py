"""A compound file (MS-CFB, version 3) holding a tree of storages and streams.

Everything a writer may choose is fixed, so equal trees give equal bytes on every machine: no
timestamps, zero class ids, sectors laid out in one order (FAT, directory, mini FAT, mini stream,
then the large streams in directory order). Streams under 4096 bytes live in the mini stream in
64-byte mini sectors; larger ones get 512-byte sectors. Each storage's children form a
balanced binary search tree in the spec's name order, coloured as a valid red-black tree.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_STREAM_CUTOFF = 4096
HEADER_DIFAT_SLOTS = 109  # FAT sectors listed in the header; enough for a 7 MB file
FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
RED, BLACK = 0, 1
STORAGE, STREAM, ROOT = 1, 2, 5
NAME_LIMIT = 31  # UTF-16 code units, before the terminating null
FORBIDDEN_IN_NAMES = "/\\:!"

Tree = Mapping[str, "bytes | Tree"]


class CompoundFileError(ValueError):
    """The tree cannot be stored as a compound file (a bad name, or too large)."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def sort_key(name: str) -> tuple[int, list[str]]:
    """MS-CFB §2.6.4: shorter names first, then code unit by code unit, upper-cased."""
    units = name.encode("utf-16-le")
    return len(units), [c.upper() if len(c.upper()) == 1 else c for c in name]


def _check_name(name: str, path: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > NAME_LIMIT:
        raise CompoundFileError(f"{path!r}: a compound file name has 1 to 31 characters")
    if any(c in FORBIDDEN_IN_NAMES for c in name):
        raise CompoundFileError(f"{path!r}: a compound file name cannot contain / \\ : or !")


def _flatten(tree: Tree) -> list[_Entry]:
    """Directory entries, root first; each storage lists its children's entry numbers."""
    entries = [_Entry("Root Entry", ROOT)]

    def add(parent: int, subtree: Tree, path: str) -> None:
        previous = None
        for name in sorted(subtree, key=sort_key):
            _check_name(name, path + name)
            if sort_key(name) == previous:
                raise CompoundFileError(f"{path + name!r}: two entries differ only in case")
            previous = sort_key(name)
            value = subtree[name]
            index = len(entries)
            if isinstance(value, bytes | bytearray):
                entries.append(_Entry(name, STREAM, bytes(value)))
            else:
                entries.append(_Entry(name, STORAGE, start=0))  # §2.6.3: storages hold 0
                add(index, value, path + name + "/")
            entries[parent].children.append(index)

    add(0, tree, "")
    return entries


def _link_siblings(entries: list[_Entry], ordered: list[int]) -> int:
    """Make a balanced search tree of `ordered` (already in name order); return its root.

    Splitting at the middle leaves every empty branch within one level of the others, so
    colouring the nodes on the deepest level red (when that level is not full) gives every path
    the same number of black nodes, and no red node has a red child.
    """

    full_depth = len(ordered).bit_length()  # levels of a middle-split tree
    perfect = len(ordered) == (1 << full_depth) - 1

    def build(lo: int, hi: int, level: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        entry = entries[ordered[mid]]
        entry.left = build(lo, mid, level + 1)
        entry.right = build(mid + 1, hi, level + 1)
        deepest = level == full_depth - 1
        entry.colour = RED if deepest and not perfect and level > 0 else BLACK
        return ordered[mid]

    return build(0, len(ordered), 0)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(first, first + count - 1):
        fat[i] = i + 1
    fat[first + count - 1] = ENDOFCHAIN


def _sectors(n_bytes: int, size: int) -> int:
    return -(-n_bytes // size)


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _directory_entry(e: _Entry | None) -> bytes:
    """128 bytes; None gives an unused entry (all zero, with no siblings or child)."""
    if e is None:
        return b"\0" * 66 + struct.pack("<BB3I", 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48
    name = e.name.encode("utf-16-le") + b"\0\0"
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(name), e.kind, e.colour, e.left, e.right, e.child)
        + b"\0" * 16  # class id
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", e.start, e.size)
    )


def _header(n_fat: int, dir_start: int, mini_fat_start: int, n_mini_fat: int) -> bytes:
    difat = list(range(n_fat)) + [FREESECT] * (HEADER_DIFAT_SLOTS - n_fat)
    return (
        SIGNATURE
        + b"\0" * 16  # class id
        + struct.pack("<5H", 0x003E, 0x0003, 0xFFFE, 9, 6)  # version 3, 512 and 64 bytes
        + b"\0" * 6
        + struct.pack(
            "<9I",
            0,  # directory sectors: always 0 in version 3
            n_fat,
            dir_start,
            0,  # transaction signature
            MINI_STREAM_CUTOFF,
            mini_fat_start,
            n_mini_fat,
            ENDOFCHAIN,  # no DIFAT sectors
            0,
        )
        + struct.pack(f"<{HEADER_DIFAT_SLOTS}I", *difat)
    )


def write_compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file whose root holds `tree` (name -> bytes or a subtree)."""
    entries = _flatten(tree)
    for e in entries:
        if e.children:
            e.child = _link_siblings(entries, e.children)
    streams = [e for e in entries if e.kind == STREAM]
    small = [e for e in streams if 0 < len(e.data) < MINI_STREAM_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_STREAM_CUTOFF]

    mini_fat: list[int] = []
    mini_stream = bytearray()
    for e in small:
        e.start, e.size = len(mini_fat), len(e.data)
        count = _sectors(len(e.data), MINI_SECTOR)
        mini_fat.extend([FREESECT] * count)
        _chain(mini_fat, e.start, count)
        mini_stream += _pad(e.data, MINI_SECTOR)
    per_sector = SECTOR // 4
    mini_fat += [FREESECT] * (-len(mini_fat) % per_sector)

    n_dir = _sectors(len(entries), SECTOR // 128)
    n_mini_fat = len(mini_fat) // per_sector
    n_mini_stream = _sectors(len(mini_stream), SECTOR)
    n_large = [_sectors(len(e.data), SECTOR) for e in large]
    n_other = n_dir + n_mini_fat + n_mini_stream + sum(n_large)
    n_fat = _sectors(n_other, per_sector - 1)  # each FAT sector also maps itself
    if n_fat > HEADER_DIFAT_SLOTS:
        raise CompoundFileError("the compound file would be over 7 MB, which this writer refuses")

    fat = [FATSECT] * n_fat + [FREESECT] * (n_fat * per_sector - n_fat)
    dir_start = at = n_fat
    _chain(fat, at, n_dir)
    at += n_dir
    mini_fat_start = at if n_mini_fat else ENDOFCHAIN
    if n_mini_fat:
        _chain(fat, at, n_mini_fat)
        at += n_mini_fat
    if n_mini_stream:
        entries[0].start, entries[0].size = at, len(mini_stream)
        _chain(fat, at, n_mini_stream)
        at += n_mini_stream
    for e, count in zip(large, n_large, strict=True):
        e.start, e.size = at, len(e.data)
        _chain(fat, at, count)
        at += count

    unused = n_dir * (SECTOR // 128) - len(entries)
    body = (
        struct.pack(f"<{len(fat)}I", *fat)
        + b"".join(_directory_entry(e) for e in entries)
        + _directory_entry(None) * unused
        + struct.pack(f"<{len(mini_fat)}I", *mini_fat)
        + _pad(bytes(mini_stream), SECTOR)
        + b"".join(_pad(e.data, SECTOR) for e in large)
    )
    assert len(body) == at * SECTOR
    return _header(n_fat, dir_start, mini_fat_start, n_mini_fat) + body
