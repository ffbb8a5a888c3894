"""Round trip over ~1,000 workbooks saved by Excel itself (shared/corpus/excel-made).

For every file: refresh twice with a fixed scratch book (Scorecard and KPI Values worksheets with
tables and conditional formats, one chartsheet with a line chart), then check that every part
the surgery does not own is byte-identical to the original, that relationships and content
types are consistent, that lint finds nothing new, and that openpyxl (read-only) and
python-calamine open the result. Each file is its own test id. About 40 s on 2 cores.

Set XL_ADDIN_CORPUS to use another folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from ooxml_builders import make_scratch, read_parts

from xl_addin.ooxml import lint, read_registry, transplant, verify
from xl_addin.ooxml.parts import REL_EXTENDED_PROPERTIES, REL_STYLES, Package, rels_name

CORPUS = Path(
    os.environ.get(
        "XL_ADDIN_CORPUS", Path(__file__).resolve().parents[2] / "../shared/corpus/excel-made"
    )
).resolve()
GENERATED = ["Scorecard", "KPI Values", "Charts - Safeguarding"]

# File name -> reason. Every exclusion must say why.
EXCLUDED: dict[str, str] = {}


def _corpus_params() -> list:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus folder {CORPUS} absent"))]
    files = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
    out = []
    for p in files:
        marks = [pytest.mark.skip(reason=EXCLUDED[p.name])] if p.name in EXCLUDED else []
        out.append(pytest.param(p, id=p.name, marks=marks))
    return out


@pytest.fixture(scope="module")
def fixed_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_scratch(tmp_path_factory.mktemp("scratch") / "scratch.xlsx")


def owned_parts(book: Path) -> set[str]:
    """The parts the surgery may edit in this book (found through its relationships)."""
    with Package(book) as pkg:
        wb = pkg.main_part()
        owned = {"[Content_Types].xml", wb, rels_name(wb)}
        owned |= {r.part for r in pkg.rels(wb) if r.type == REL_STYLES and r.part}
        owned |= {r.part for r in pkg.rels("") if r.type == REL_EXTENDED_PROPERTIES and r.part}
    return owned


@pytest.mark.parametrize("book", _corpus_params())
def test_corpus_round_trip(book: Path, fixed_scratch: Path, tmp_path: Path) -> None:
    first = tmp_path / f"first{book.suffix}"
    second = tmp_path / f"second{book.suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        baseline = set(lint(book))
        transplant(book, fixed_scratch, first)
        report = transplant(first, fixed_scratch, second)
        assert report.sheets_removed == GENERATED
        assert read_registry(second) == GENERATED

        original = read_parts(book)
        result = read_parts(second)
        owned = owned_parts(book)
        for name, data in original.items():
            if name in owned:
                continue
            assert name in result, f"{name} lost"
            assert result[name] == data, f"{name} changed"
        assert original["[Content_Types].xml"].count(b"macroEnabled") == result[
            "[Content_Types].xml"
        ].count(b"macroEnabled")

        for out in (first, second):
            new_problems = set(lint(out)) - baseline
            assert not new_problems, [str(p) for p in new_problems]
            verify(out)  # zip CRCs, rel targets, content types, openpyxl, calamine
