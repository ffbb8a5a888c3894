"""Reading a VBA project back, for the tests: written here from MS-OVBA, independently of the
writer, on top of oletools' decompressor and olefile (both test-only dependencies)."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import olefile
from oletools.olevba import decompress_stream

PROJECT_VERSION = 0x0009  # the one record whose size field (4) does not give its length (6)
MODULE_NAME, MODULE_END, MODULE_STANDARD, MODULE_OTHER = 0x0019, 0x002B, 0x0021, 0x0022
DIR_END = 0x0010


def open_strict(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)


def records(data: bytes) -> list[tuple[int, bytes]]:
    """(id, payload) for every record of a decompressed `dir` stream, which must end exactly
    at its terminator."""
    out, at = [], 0
    while at < len(data):
        record_id, size = struct.unpack_from("<HI", data, at)
        if record_id == PROJECT_VERSION:
            assert size == 4, "PROJECTVERSION's reserved size must be 4"
            size = 6
        out.append((record_id, data[at + 6 : at + 6 + size]))
        at += 6 + size
        if record_id == DIR_END:
            assert at == len(data), f"{len(data) - at} bytes after the dir terminator"
    assert at == len(data), "the last record runs past the end of the stream"
    return out


@dataclass
class DirModule:
    name: str = ""
    name_unicode: str = ""
    stream: str = ""
    stream_unicode: str = ""
    offset: int = -1
    kind: int = 0
    cookie: int = 0
    raw: dict[int, bytes] = field(default_factory=dict)


@dataclass
class DirInfo:
    project_name: str
    code_page: int
    module_count: int
    modules: list[DirModule]
    references: list[str]
    record_ids: list[int]


def read_dir(ole: olefile.OleFileIO) -> DirInfo:
    recs = records(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    by_id = {}
    modules: list[DirModule] = []
    references: list[str] = []
    current: DirModule | None = None
    for record_id, payload in recs:
        by_id.setdefault(record_id, payload)
        if record_id == 0x000D:  # REFERENCEREGISTERED: size of libid, libid, 6 reserved bytes
            (n,) = struct.unpack_from("<I", payload)
            assert len(payload) == 4 + n + 6
            references.append(payload[4 : 4 + n].decode("cp1252"))
        if record_id == MODULE_NAME:
            current = DirModule()
            modules.append(current)
        if current is None:
            continue
        current.raw[record_id] = payload
        if record_id == MODULE_NAME:
            current.name = payload.decode("cp1252")
        elif record_id == 0x0047:
            current.name_unicode = payload.decode("utf-16-le")
        elif record_id == 0x001A:
            current.stream = payload.decode("cp1252")
        elif record_id == 0x0032:
            current.stream_unicode = payload.decode("utf-16-le")
        elif record_id == 0x0031:
            (current.offset,) = struct.unpack("<I", payload)
        elif record_id == 0x002C:
            (current.cookie,) = struct.unpack("<H", payload)
        elif record_id in (MODULE_STANDARD, MODULE_OTHER):
            current.kind = record_id
        elif record_id == MODULE_END:
            current = None
    (code_page,) = struct.unpack("<H", by_id[0x0003])
    (count,) = struct.unpack("<H", by_id[0x000F])
    return DirInfo(
        by_id[0x0004].decode("cp1252"),
        code_page,
        count,
        modules,
        references,
        [r for r, _ in recs],
    )


def project_lines(ole: olefile.OleFileIO) -> list[str]:
    return ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")


def project_modules(ole: olefile.OleFileIO) -> dict[str, str]:
    """PROJECT's module lines: name -> Document, Module or Class."""
    out = {}
    for line in project_lines(ole):
        if line.startswith("[") and out:
            break
        key, _, value = line.partition("=")
        if key in ("Document", "Module", "Class"):
            out[value.split("/")[0]] = key
    return out


def project_wm_names(ole: olefile.OleFileIO) -> list[tuple[str, str]]:
    """(MBCS name, UTF-16 name) pairs of PROJECTwm, which must end with a 0x0000 terminator."""
    data = ole.openstream("PROJECTwm").read()
    out, at = [], 0
    while data[at : at + 2] != b"\0\0":
        end = data.index(b"\0", at)
        mbcs = data[at:end].decode("cp1252")
        at = end + 1
        end = next(i for i in range(at, len(data) - 1, 2) if data[i : i + 2] == b"\0\0")
        out.append((mbcs, data[at:end].decode("utf-16-le")))
        at = end + 2
    assert at + 2 == len(data), "bytes after the PROJECTwm terminator"
    return out


def decrypt(hex_text: str, project_id: str) -> tuple[int, int, bytes]:
    """MS-OVBA §2.4.3.3 data decryption: (version, project key, data)."""
    enc = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = enc[0], enc[1], enc[2]
    version, key = seed ^ version_enc, seed ^ key_enc
    plain_last, enc_last, enc_before = key, key_enc, version_enc
    plain = bytearray()
    for byte in enc[3:]:
        value = byte ^ ((enc_before + plain_last) & 0xFF)
        plain.append(value)
        enc_before, enc_last, plain_last = enc_last, byte, value
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    data = bytes(plain[ignored + 4 :])
    assert len(data) == length, f"declared length {length}, found {len(data)}"
    expected_key = sum(project_id.encode("ascii")) & 0xFF
    assert key == expected_key, f"project key {key:#x}, the ID gives {expected_key:#x}"
    return version, key, data
