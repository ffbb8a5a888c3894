"""Hostile .xlsx files, built here at zip level: each is refused with exit code 2 and a clear
message, quickly, and never crashes the process (excel-files.md §7).

Every file goes through the installed `xl-addin` in its own process, so that a reader that aborts
(python-calamine's whole process dies on a sheet claiming cell XFD1048576) fails one test instead
of killing pytest. Zip bombs are written from a deflate stream compressed once per chunk, so a
300 MB part costs a fraction of a second to build and nothing is ever inflated.
"""

from __future__ import annotations

import json
import random
import re
import resource
import struct
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TIME_LIMIT = 2.0  # seconds of work allowed beyond the CLI's own start-up

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = REL_NS + "/worksheet"


# -- writing zip packages by hand ---------------------------------------------------------------


@dataclass(frozen=True)
class Deflated:
    """A member already compressed (raw deflate), with the size and CRC it inflates to."""

    stream: bytes
    size: int
    crc: int


def _deflate(data: bytes, *, final: bool) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def repeated(head: bytes, chunk: bytes, times: int, tail: bytes) -> Deflated:
    """head + chunk * times + tail, compressing the chunk once: after a full flush a deflate
    stream refers to nothing before it, so the chunk's compressed bytes can simply repeat."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    stream = _deflate(head, final=False) + _deflate(chunk, final=False) * times
    return Deflated(
        stream + _deflate(tail, final=True),
        len(head) + len(chunk) * times + len(tail),
        zlib.crc32(tail, crc),
    )


def write_zip(path: Path, members: list[tuple[str, bytes | Deflated]], encrypted=()) -> Path:
    """A zip file exactly as listed (duplicates, odd names and precompressed members allowed)."""
    central = []
    with open(path, "wb") as fh:
        for name, data in members:
            if not isinstance(data, Deflated):
                data = Deflated(_deflate(data, final=True), len(data), zlib.crc32(data))
            raw = name.encode("utf-8")
            flags = 0x800 | (1 if name in encrypted else 0)
            offset = fh.tell()
            fields = (20, flags, 8, 0, 0x21, data.crc, len(data.stream), data.size, len(raw))
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + raw + data.stream)
            central.append(
                struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
                + raw
            )
        start = fh.tell()
        directory = b"".join(central)
        fh.write(directory)
        n = len(members)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(directory), start, 0))
    return path


# -- minimal and demo packages ------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()


def workbook_xml(sheets: list[tuple[str, str]], sheet_tag: str = "sheet", extra: str = "") -> bytes:
    """workbook.xml listing (name, relationship id) pairs."""
    items = "".join(
        f'<{sheet_tag} name="{name}" sheetId="{i}" r:id="{rid}"{extra}/>'
        for i, (name, rid) in enumerate(sheets, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{items}</sheets></workbook>'
    ).encode()


def workbook_rels(targets: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" Target="{target}"/>'
        for rid, target in targets
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{items}</Relationships>"
    ).encode()


def sheet_xml(sheet_data: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>{sheet_data}</sheetData></worksheet>'
    ).encode()


EXTENT_BOMB = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>'


def data_only_book(
    path: Path,
    data: bytes | Deflated,
    *,
    target: str = "worksheets/sheet1.xml",
    part: str = "xl/worksheets/sheet1.xml",
    book: bytes | None = None,
    more: tuple[tuple[str, bytes], ...] = (),
) -> Path:
    """A package with one sheet, named Data (the other input sheets missing is fine: a hostile
    Data sheet must be refused before anyone notices)."""
    return write_zip(
        path,
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", book or workbook_xml([("Data", "rId1")])),
            ("xl/_rels/workbook.xml.rels", workbook_rels([("rId1", target)])),
            (part, data),
            *more,
        ],
    )


def demo_parts(demo_workbook: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(demo_workbook) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def part_of(parts: dict[str, bytes], sheet: str) -> str:
    """The part holding a sheet of the demo package (XlsxWriter's plain layout)."""
    rid = re.search(
        rf'<sheet name="{sheet}" sheetId="\d+" r:id="(rId\d+)"', parts["xl/workbook.xml"].decode()
    )
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Id="{rid.group(1)}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    return "xl/" + target


def demo_with(demo_workbook: Path, path: Path, replace: dict[str, bytes | Deflated]) -> Path:
    """The demo package with some parts replaced."""
    parts: dict[str, bytes | Deflated] = dict(demo_parts(demo_workbook))
    parts.update(replace)
    return write_zip(path, list(parts.items()))


# -- the hostile files --------------------------------------------------------------------------

LOL_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10)
    ).replace("&lol1;", "&lol;")
    + "]>"
)


def _billion_laughs_in_sheet(folder: Path, demo: Path) -> Path:
    parts = demo_parts(demo)
    data = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', LOL_DTD)
    return demo_with(demo, folder / "laughs-sheet.xlsx", {part_of(parts, "Data"): data})


def _billion_laughs_in_shared_strings(folder: Path, demo: Path) -> Path:
    sst = demo_parts(demo)["xl/sharedStrings.xml"].decode()
    head, _, rest = sst.partition("?>")
    sst = head + "?>" + LOL_DTD + rest.replace("<t>field</t>", "<t>&lol9;</t>", 1)
    return demo_with(demo, folder / "laughs-sst.xlsx", {"xl/sharedStrings.xml": sst.encode()})


def _billion_laughs_after_padding(folder: Path, demo: Path) -> Path:
    """The DTD after a 6 KB comment in workbook.xml (a scan of the first 4 KB would miss it)."""
    book = demo_parts(demo)["xl/workbook.xml"].decode()
    head, _, rest = book.partition("?>")
    book = head + "?>" + "<!--" + "x" * 6000 + "-->" + LOL_DTD + rest
    return demo_with(demo, folder / "laughs-padded.xlsx", {"xl/workbook.xml": book.encode()})


SECRET = "xl-addin-secret-7f3a"


def _xxe(folder: Path, demo: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    sst = demo_parts(demo)["xl/sharedStrings.xml"].decode()
    head, _, rest = sst.partition("?>")
    dtd = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    sst = head + "?>" + dtd + rest.replace("<t>field</t>", "<t>&xxe;</t>", 1)
    return demo_with(demo, folder / "xxe.xlsx", {"xl/sharedStrings.xml": sst.encode()})


def _zip_bomb_shared_string(folder: Path, demo: Path) -> Path:
    """A 300 MB run of one byte: a single shared string (1,000:1)."""
    sst = repeated(
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}"><si><t>'.encode(),
        b"a" * (1 << 20),
        300,
        b"</t></si></sst>",
    )
    return demo_with(demo, folder / "bomb-sst.xlsx", {"xl/sharedStrings.xml": sst})


def _numeric_cells(rows_per_chunk: int, chunks: int) -> Deflated:
    row = b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
    return repeated(head.encode(), row * rows_per_chunk, chunks, b"</sheetData></worksheet>")


def _zip_bomb_20m_cells(folder: Path, demo: Path) -> Path:
    """20 million numeric cells in the Data sheet (about 300 MB of XML)."""
    data = _numeric_cells(5000, 400)
    parts = demo_parts(demo)
    return demo_with(demo, folder / "bomb-cells.xlsx", {part_of(parts, "Data"): data})


def _zip_bomb_under_total(folder: Path, demo: Path) -> Path:
    """10 million cells, 150 MB: under the total cap, so the compression ratio must catch it."""
    data = _numeric_cells(5000, 200)
    parts = demo_parts(demo)
    return demo_with(demo, folder / "bomb-ratio.xlsx", {part_of(parts, "Data"): data})


def _extent_bomb(folder: Path, demo: Path) -> Path:
    """A sheet named Data holding only A1 and XFD1048576 (calamine would allocate 512 GB)."""
    return data_only_book(folder / "extent.xlsx", sheet_xml(EXTENT_BOMB))


def _extent_bomb_in_demo(folder: Path, demo: Path) -> Path:
    parts = demo_parts(demo)
    key = part_of(parts, "Targets")
    xml = parts[key].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return demo_with(demo, folder / "extent-targets.xlsx", {key: xml})


def _too_many_parts(folder: Path, demo: Path) -> Path:
    parts = list(demo_parts(demo).items())
    parts += [(f"customXml/item{i}.xml", b"<a/>") for i in range(10_001)]
    return write_zip(folder / "many.xlsx", parts)


def _encrypted_member(folder: Path, demo: Path) -> Path:
    return write_zip(
        folder / "encrypted.xlsx",
        list(demo_parts(demo).items()),
        encrypted=("xl/sharedStrings.xml",),
    )


def _corrupt_member(folder: Path, demo: Path) -> Path:
    parts = demo_parts(demo)
    key = part_of(parts, "Data")
    good = _deflate(parts[key], final=True)
    bad = Deflated(
        good[:40] + bytes(b ^ 0x5A for b in good[40:80]) + good[80:],
        len(parts[key]),
        zlib.crc32(parts[key]),
    )
    return demo_with(demo, folder / "corrupt.xlsx", {key: bad})


def _duplicate_parts(folder: Path, demo: Path) -> Path:
    parts = list(demo_parts(demo).items())
    key = part_of(dict(parts), "Data")
    parts.append((key, sheet_xml(EXTENT_BOMB)))
    return write_zip(folder / "duplicate.xlsx", parts)


def _cells_without_positions(folder: Path, demo: Path) -> Path:
    """2 MB of cells without r= (calamine counts them; the walk that follows it is kept small)."""
    numbers = random.Random(3)
    rows = "".join(
        "<row>" + "".join(f"<c><v>{numbers.randrange(10**6)}</v></c>" for _ in range(10)) + "</row>"
        for _ in range(10_000)
    )
    return data_only_book(folder / "no-positions.xlsx", sheet_xml(rows))


def _unfinished_tags(folder: Path, demo: Path) -> Path:
    """Half a megabyte of `<a<a<a...` that never closes: scanned once, not once per `<`."""
    sheet = sheet_xml('<row r="1"><c><v>1</v></c></row>') + b"<a" * 250_000
    return data_only_book(folder / "unfinished.xlsx", sheet)


@dataclass(frozen=True)
class Hostile:
    id: str
    make: Callable[[Path, Path], Path]
    expect: str  # a regular expression the message must match


HOSTILE = [
    Hostile("billion-laughs-in-sheet", _billion_laughs_in_sheet, r"declares a DTD or entities"),
    Hostile(
        "billion-laughs-in-sharedstrings",
        _billion_laughs_in_shared_strings,
        r"part xl/sharedStrings\.xml declares a DTD or entities",
    ),
    Hostile(
        "billion-laughs-after-4kb-comment",
        _billion_laughs_after_padding,
        r"part xl/workbook\.xml declares a DTD or entities",
    ),
    Hostile("xxe-external-entity", _xxe, r"part xl/sharedStrings\.xml declares a DTD"),
    Hostile(
        "zip-bomb-300mb-shared-string",
        _zip_bomb_shared_string,
        r"would expand to 30\d MB; refusing more than 200 MB",
    ),
    Hostile(
        "zip-bomb-20m-numeric-cells", _zip_bomb_20m_cells, r"would expand to \d{3} MB; refusing"
    ),
    Hostile(
        "zip-bomb-under-the-total-cap",
        _zip_bomb_under_total,
        r"part xl/worksheets/sheet\d\.xml compresses [\d,]+:1, which only a zip bomb does",
    ),
    Hostile(
        "extent-bomb-A1-XFD1048576",
        _extent_bomb,
        r"Data: extent\.xlsx: the sheet claims cells up to row 1,048,576, column 16,384",
    ),
    Hostile(
        "extent-bomb-in-targets-of-a-good-book",
        _extent_bomb_in_demo,
        r"Targets: .*the sheet claims cells up to row 1,048,576, column 16,384",
    ),
    Hostile("too-many-parts", _too_many_parts, r"has 10,01\d parts; refusing more than 10,000"),
    Hostile(
        "encrypted-member", _encrypted_member, r"encrypted\.xlsx is damaged and cannot be read"
    ),
    Hostile(
        "corrupt-deflate-data", _corrupt_member, r"corrupt\.xlsx is damaged and cannot be read"
    ),
    Hostile(
        "cells-without-positions-2mb",
        _cells_without_positions,
        r"the sheet's XML is 2\.\d MB and does not give every cell its position",
    ),
    Hostile("unfinished-tags", _unfinished_tags, r"has an unfinished tag or comment; refusing"),
    Hostile(
        "duplicate-part-names",
        _duplicate_parts,
        r"holds two parts named xl/worksheets/sheet\d\.xml",
    ),
]


def timed(run_cli, startup: float):
    """Run the CLI; a run over the limit is repeated once (a busy machine, not a slow reader),
    and the faster of the two must be within TIME_LIMIT seconds of the bare start-up."""
    run = run_cli()
    if run.seconds - startup >= TIME_LIMIT:
        again = run_cli()
        run = again if again.seconds < run.seconds else run
    assert run.seconds - startup < TIME_LIMIT, (run.seconds, startup, run.stderr[-300:])
    return run


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_hostile_file_is_refused_quickly(
    case, tmp_path, demo_workbook, xl_addin_run, cli_startup_seconds
):
    path = case.make(tmp_path, demo_workbook)
    run = timed(lambda: xl_addin_run("validate", str(path)), cli_startup_seconds)
    assert run.returncode == 2, run
    assert "Traceback" not in run.output and run.stdout == ""
    assert re.search(case.expect, run.stderr), run.stderr
    assert SECRET not in run.output


def test_extent_bomb_through_kpis_too(tmp_path, demo_workbook, xl_addin_run, cli_startup_seconds):
    path = _extent_bomb(tmp_path, demo_workbook)
    run = timed(lambda: xl_addin_run("kpis", str(path), "--format", "json"), cli_startup_seconds)
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert "the sheet claims cells up to row 1,048,576, column 16,384" in run.stderr


# -- the extent check agrees with calamine however the sheet is spelled -------------------------
#
# Each file below aborted python-calamine (and with it the whole process) when the precheck only
# matched `<c r="XFD1048576"` literally, or read the sheet from a different part than calamine.

BIG = "XFD1048576"


def _with_sheet(sheet_data: str, **kw) -> Callable[[Path], Path]:
    return lambda path: data_only_book(path, sheet_xml(sheet_data), **kw)


def _two_sheets(first_target: str, second_target: str, names=("Data", "Data")):
    def make(path: Path) -> Path:
        return write_zip(
            path,
            [
                ("[Content_Types].xml", CONTENT_TYPES),
                ("_rels/.rels", ROOT_RELS),
                ("xl/workbook.xml", workbook_xml([(names[0], "rId1"), (names[1], "rId2")])),
                (
                    "xl/_rels/workbook.xml.rels",
                    workbook_rels([("rId1", first_target), ("rId2", second_target)]),
                ),
                ("xl/worksheets/sheet1.xml", sheet_xml(EXTENT_BOMB)),
                ("xl/worksheets/sheet2.xml", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')),
            ],
        )

    return make


def _late_dtd(path: Path) -> Path:
    """A DTD behind a comment longer than any prolog scan (random text, so no zip-bomb ratio)."""
    padding = random.Random(7).randbytes(600_000).hex()
    prolog = "<!--" + padding + "-->" + LOL_DTD
    return data_only_book(path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', prolog))


def _plain(sheet_data: str) -> str:
    return f'<row r="1"><c r="A1"><v>1</v></c>{sheet_data}</row>'


SPELLINGS: dict[str, Callable[[Path], Path]] = {
    "lowercase-reference": _with_sheet(_plain(f'<c r="{BIG.lower()}"><v>1</v></c>')),
    "single-quotes": _with_sheet(_plain(f"<c r='{BIG}'><v>1</v></c>")),
    "spaces-around-equals": _with_sheet(_plain(f'<c r = "{BIG}"><v>1</v></c>')),
    "tab-before-r": _with_sheet(_plain(f'<c\tr="{BIG}"><v>1</v></c>')),
    "r-not-first": _with_sheet(_plain(f'<c s="0" r="{BIG}"><v>1</v></c>')),
    "quoted-greater-than-before-r": _with_sheet(_plain(f'<c s=">" r="{BIG}"><v>1</v></c>')),
    "duplicate-r-attribute": _with_sheet(_plain(f'<c r="B1" r="{BIG}"><v>1</v></c>')),
    "namespace-prefix": _with_sheet(
        _plain(f'<x:c xmlns:x="{MAIN_NS}" r="{BIG}"><x:v>1</x:v></x:c>')
    ),
    "nine-digit-row": _with_sheet(_plain('<c r="B123456789"><v>1</v></c>')),
    "five-letter-column": _with_sheet(
        _plain('<c r="AAAAA1"><v>1</v></c>') + '<row r="9000"><c r="A9000"><v>1</v></c></row>'
    ),
    "cells-without-r-in-a-far-row": _with_sheet(
        '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>1</v></c></row>'
    ),
    "rows-and-cells-without-r": _with_sheet(
        '<row r="1048575"></row><row><c><v>1</v></c></row><row r="1"><c r="XFD1"><v>1</v></c></row>'
    ),
    "comment-before-rows-without-r": _with_sheet(
        '<!-- <row r="1"> --><row r="1048576"><c><v>1</v></c></row>'
        '<row r="2"><c r="XFD2"><v>1</v></c></row>'
    ),
    "part-name-in-other-case": _with_sheet(EXTENT_BOMB, target="worksheets/SHEET1.xml"),
    "part-name-with-backslashes": _with_sheet(EXTENT_BOMB, part="xl\\worksheets\\sheet1.xml"),
    "target-with-character-reference": lambda path: data_only_book(
        path,
        sheet_xml(EXTENT_BOMB),
        target="worksheets/sheet&#49;.xml",
        part="xl/worksheets/sheet&#49;.xml",
        more=(("xl/worksheets/sheet1.xml", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')),),
    ),
    "target-starting-xl": _with_sheet(EXTENT_BOMB, target="xl/worksheets/sheet1.xml"),
    "absolute-target": _with_sheet(EXTENT_BOMB, target="/xl/worksheets/sheet1.xml"),
    "two-sheets-named-data": _two_sheets("worksheets/sheet1.xml", "worksheets/sheet2.xml"),
    "sheet-element-in-another-namespace": lambda path: data_only_book(
        path,
        sheet_xml(EXTENT_BOMB),
        book=workbook_xml([("Data", "rId1")], sheet_tag='e:sheet xmlns:e="urn:elsewhere"'),
    ),
    "relationship-prefix-bound-elsewhere": lambda path: data_only_book(
        path,
        sheet_xml(EXTENT_BOMB),
        book=workbook_xml([("Data", "rId1")], extra=' xmlns:r="urn:elsewhere"'),
    ),
    "dtd-after-a-megabyte-of-comment": _late_dtd,
}

CHILD = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from xl_addin.cli import main
    for path in sys.argv[1:]:
        print(json.dumps({"start": path}), flush=True)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["validate", path])
        print(json.dumps({"path": path, "code": code, "stderr": err.getvalue()}), flush=True)
    """
)


def _limit_memory():  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))


def _validate_in_children(paths: list[Path]) -> tuple[dict[str, dict], dict[str, str]]:
    """`validate` each file in a child process (one start-up for all); when a file kills the
    child, note it and go on with the rest in a new child. Returns results and casualties."""
    results: dict[str, dict] = {}
    died: dict[str, str] = {}
    remaining = list(paths)
    while remaining:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, *map(str, remaining)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=_limit_memory,
        )
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        for r in lines:
            if "path" in r:
                results[Path(r["path"]).stem] = r
        started = [Path(r["start"]) for r in lines if "start" in r]
        if done.returncode == 0:
            break
        culprit = started[-1] if started else remaining[0]
        last = done.stderr.strip().splitlines()[:1]
        died[culprit.stem] = f"exit {done.returncode} {last}"
        remaining = remaining[remaining.index(culprit) + 1 :]
    return results, died


def test_every_spelling_of_an_extent_bomb_is_refused(tmp_path):
    paths = [make(tmp_path / f"{name}.xlsx") for name, make in SPELLINGS.items()]
    results, died = _validate_in_children(paths)
    assert not died, f"the reader took the process down on: {died}"
    assert set(results) == set(SPELLINGS)
    for name, r in results.items():
        assert r["code"] == 2, (name, r)
        assert "refusing" in r["stderr"] and "Traceback" not in r["stderr"], (name, r["stderr"])


# -- the reader only parses the four input sheets ----------------------------------------------


def _demo_with_unrelated_bomb(demo_workbook: Path, path: Path) -> Path:
    parts = demo_parts(demo_workbook)
    book = parts["xl/workbook.xml"].decode()
    book = book.replace("</sheets>", '<sheet name="Notes" sheetId="99" r:id="rId99"/></sheets>')
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{WORKSHEET_TYPE}" Target="worksheets/notes.xml"/>'
        "</Relationships>",
    )
    parts["xl/workbook.xml"] = book.encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    parts["xl/worksheets/notes.xml"] = sheet_xml(EXTENT_BOMB)
    return write_zip(path, list(parts.items()))


CALAMINE_READS = textwrap.dedent(
    """
    import sys
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(sys.argv[1])
    for name in sys.argv[2:]:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    print("read", *sys.argv[2:])
    """
)


def _calamine(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CALAMINE_READS, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_memory,
    )


def test_extent_bomb_on_an_unrelated_sheet_does_not_stop_a_good_book(
    tmp_path, demo_workbook, demo_kpis_csv, xl_addin_run
):
    path = _demo_with_unrelated_bomb(demo_workbook, tmp_path / "notes-bomb.xlsx")

    validate = xl_addin_run("validate", str(path))
    assert validate.returncode == 0, validate
    assert "is ready: 32 measures, 13 months" in validate.stdout
    kpis = xl_addin_run("kpis", str(path), "--format", "csv")
    assert kpis.returncode == 0, kpis
    assert kpis.stdout == demo_kpis_csv

    # calamine itself: opening the book and reading the four input sheets never touches Notes...
    inputs = _calamine(str(path), "Settings", "Measures", "Data", "Targets")
    assert inputs.returncode == 0 and inputs.stdout.startswith("read"), inputs.stderr[-500:]
    # ...and Notes really is a bomb: reading it kills the process (so the runs above never did)
    notes = _calamine(str(path), "Notes")
    assert notes.returncode != 0 and "read" not in notes.stdout
    assert notes.returncode < 0 or "memory allocation" in notes.stderr, notes.stderr[-500:]


def test_the_extent_bomb_really_aborts_calamine(tmp_path, demo_workbook):
    """Control for the extent tests: without the precheck, calamine takes the process down."""
    path = _extent_bomb(tmp_path, demo_workbook)
    run = _calamine(str(path), "Data")
    assert run.returncode != 0 and "read" not in run.stdout
    assert run.returncode < 0 or "memory allocation" in run.stderr, run.stderr[-500:]


def test_zip_bombs_are_real(tmp_path, demo_workbook):
    """Control for the bomb tests: the members inflate to what their headers claim."""
    import zipfile

    path = _zip_bomb_shared_string(tmp_path, demo_workbook)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/sharedStrings.xml")
        assert info.file_size > 300 * 2**20 and info.compress_size < 2**20
        with zf.open(info) as fh:
            assert fh.read(200).endswith(b"a" * 50)
    cells = _numeric_cells(5000, 2)
    inflated = zlib.decompress(cells.stream, -15)
    assert len(inflated) == cells.size and zlib.crc32(inflated) == cells.crc
