"""Round trip over ~1,000 workbooks saved by Excel itself (shared/corpus/excel-made).

For every file, as an analyst adopting the add-in would: add the input sheets of a small valid
workbook (`xl-addin init`), refresh, refresh again. The generated sheets are the real renderer's
output for that small workbook (rendered once: every file gets the same inputs). Then check that
every part the surgery does not own is byte-identical to the original, that relationships and
content types are consistent, that lint finds nothing new, that openpyxl (read-only) and
python-calamine open the result, and that the inputs read back from it give the same scorecard.
Each file is its own test id. About two minutes on one core.

Set XL_ADDIN_CORPUS to use another folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest
from ooxml_builders import read_parts

from xl_addin import compute, read_inputs
from xl_addin.io.write_inputs import template_sheets, write_input_workbook
from xl_addin.ooxml import book_uses_1904_dates, lint, read_registry, transplant, verify
from xl_addin.ooxml.parts import REL_EXTENDED_PROPERTIES, REL_STYLES, Package, rels_name
from xl_addin.render import render_plan, write_scratch

CORPUS = Path(
    os.environ.get(
        "XL_ADDIN_CORPUS", Path(__file__).resolve().parents[2] / "../shared/corpus/excel-made"
    )
).resolve()
GENERATED = ["Scorecard", "KPI Values", "Charts - Service delivery", "Narrative"]

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
def small_book(tmp_path_factory: pytest.TempPathFactory):
    """Per date system: the input sheets of a small valid workbook, the generated sheets drawn
    from its results, and its scorecard."""
    folder = tmp_path_factory.mktemp("scratch")
    books = {}
    for date_1904 in (False, True):
        inputs = folder / f"inputs{int(date_1904)}.xlsx"
        write_input_workbook(template_sheets(), inputs, date_1904=date_1904)
        results = compute(read_inputs(inputs))
        generated = folder / f"generated{int(date_1904)}.xlsx"
        write_scratch(render_plan(results), generated, date_1904=date_1904)
        books[date_1904] = (inputs, generated, results.scorecard)
    return books


def owned_parts(book: Path) -> set[str]:
    """The parts the surgery may edit in this book (found through its relationships)."""
    with Package(book) as pkg:
        wb = pkg.main_part()
        owned = {"[Content_Types].xml", wb, rels_name(wb)}
        owned |= {r.part for r in pkg.rels(wb) if r.type == REL_STYLES and r.part}
        owned |= {r.part for r in pkg.rels("") if r.type == REL_EXTENDED_PROPERTIES and r.part}
    return owned


@pytest.mark.parametrize("book", _corpus_params())
def test_corpus_round_trip(book: Path, small_book, tmp_path: Path) -> None:
    inputs, generated, scorecard = small_book[book_uses_1904_dates(book)]
    adopted = tmp_path / f"adopted{book.suffix}"
    first = tmp_path / f"first{book.suffix}"
    second = tmp_path / f"second{book.suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        baseline = set(lint(book))
        transplant(book, inputs, adopted, register=False)
        pd.testing.assert_frame_equal(compute(read_inputs(adopted)).scorecard, scorecard)
        transplant(adopted, generated, first)
        report = transplant(first, generated, second)
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
