"""The compound file, read back by olefile in strict mode, around its sector boundaries."""

from __future__ import annotations

import random

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vba_reading import open_strict

from xl_addin.vba.compound_file import CompoundFileError, write_compound_file

# 64-byte mini sectors, 512-byte sectors, and the 4096-byte line between the two streams
SIZES = [0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 4607, 4608, 4609, 65536, 70000]


def blob(n: int, seed: int = 0) -> bytes:
    return random.Random(n * 7919 + seed).randbytes(n)


def read_back(data: bytes) -> dict:
    """Every stream of the file, nested by storage, through olefile's strict checks."""
    out: dict = {}
    with open_strict(data) as ole:
        for path in ole.listdir(streams=True, storages=False):
            node = out
            for part in path[:-1]:
                node = node.setdefault(part, {})
            stream = ole.openstream(path)
            node[path[-1]] = stream.read()
            assert ole.get_size(path) == len(node[path[-1]])
    return out


def storages_of(tree: dict) -> dict:
    """The same tree, with empty storages (which olefile's stream listing omits) dropped."""
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            if inner := storages_of(v):
                out[k] = inner
        else:
            out[k] = v
    return out


@pytest.mark.parametrize("size", SIZES)
def test_one_stream_of_each_size_reads_back_strictly(size):
    tree = {"VBA": {"dir": blob(size)}, "PROJECT": b"ID=1\r\n"}
    data = write_compound_file(tree)
    assert len(data) % 512 == 0
    assert read_back(data) == tree


@pytest.mark.parametrize("sectors", [126, 127, 128, 253, 254, 255])
def test_a_fat_sector_that_also_has_to_map_itself(sectors):
    """With the directory, 127 or 254 sectors fill one or two FAT sectors exactly: one more
    needs another FAT sector, which must map itself too."""
    tree = {"big": blob(sectors * 512 - 1)}
    assert read_back(write_compound_file(tree)) == tree


def test_all_the_sizes_together_and_a_fat_and_mini_fat_over_one_sector():
    # 16 large streams need more than one FAT sector; 150 small ones more than 128 mini sectors
    tree = {f"s{i}": blob(n, i) for i, n in enumerate(SIZES)}
    tree["VBA"] = {f"m{i}": blob(100 + i, i) for i in range(150)}
    tree["big"] = blob(300_000)
    data = write_compound_file(tree)
    with open_strict(data) as ole:
        assert ole.num_fat_sectors > 1
        assert ole.num_mini_fat_sectors > 1
    assert read_back(data) == tree


def test_many_streams_in_nested_storages():
    tree = {f"storage{i}": {f"stream{j}": blob(j * 37, i) for j in range(60)} for i in range(5)}
    tree["VBA"] = {"deep": {"deeper": {"deepest": b"x" * 5000}}}
    assert read_back(write_compound_file(tree)) == tree


names = st.text(alphabet="ABCabc_0123456789", min_size=1, max_size=31)
trees = st.recursive(
    st.binary(max_size=5000),
    lambda children: st.dictionaries(names, children, max_size=12),
    max_leaves=60,
).filter(lambda t: isinstance(t, dict))


@settings(max_examples=80, deadline=None)
@given(trees)
def test_any_tree_reads_back(tree):
    lowered = [k.upper() for k in tree]
    if len(lowered) != len(set(lowered)):
        with pytest.raises(CompoundFileError, match="case"):
            write_compound_file(tree)
        return
    try:
        data = write_compound_file(tree)
    except CompoundFileError:  # a nested storage with names differing only in case
        return
    assert read_back(data) == storages_of(tree)


def cfb_order(name: str) -> tuple[int, str]:
    return len(name), name.upper()


def check_red_black(entries, root: int) -> int:
    """Black height of the subtree at `root`; asserts the search order and the colours."""
    if root == olefile.NOSTREAM:
        return 1
    node = entries[root]
    for side in (node.sid_left, node.sid_right):
        if side != olefile.NOSTREAM:
            assert not (node.color == 0 and entries[side].color == 0), "two reds in a row"
    if node.sid_left != olefile.NOSTREAM:
        assert cfb_order(entries[node.sid_left].name) < cfb_order(node.name)
    if node.sid_right != olefile.NOSTREAM:
        assert cfb_order(node.name) < cfb_order(entries[node.sid_right].name)
    left = check_red_black(entries, node.sid_left)
    right = check_red_black(entries, node.sid_right)
    assert left == right, f"black heights differ under {node.name!r}"
    return left + (1 if node.color == 1 else 0)


def in_order(entries, root: int) -> list[str]:
    if root == olefile.NOSTREAM:
        return []
    n = entries[root]
    return [*in_order(entries, n.sid_left), n.name, *in_order(entries, n.sid_right)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 100, 255])
def test_siblings_form_a_valid_red_black_tree_in_name_order(count):
    names = [f"m{'x' * (i % 5)}{i}" for i in range(count)]
    data = write_compound_file({"VBA": {n: b"v" for n in names}})
    with open_strict(data) as ole:
        entries = ole.direntries
        vba = next(e for e in entries if e is not None and e.name == "VBA")
        top = entries[vba.sid_child]
        assert top.color == 1, "the top of a tree is black"
        check_red_black(entries, vba.sid_child)
        assert in_order(entries, vba.sid_child) == sorted(names, key=cfb_order)


def test_names_differing_only_in_case_or_too_long_are_refused():
    with pytest.raises(CompoundFileError, match="case"):
        write_compound_file({"Dir": b"", "dir": b""})
    with pytest.raises(CompoundFileError, match="31"):
        write_compound_file({"x" * 32: b""})
    write_compound_file({"x" * 31: b""})
    with pytest.raises(CompoundFileError, match="cannot contain"):
        write_compound_file({"a/b": b""})


def test_equal_trees_give_equal_bytes_whatever_their_order():
    one = {"PROJECT": blob(700), "VBA": {"b": blob(9000), "a": blob(10)}}
    two = {"VBA": {"a": blob(10), "b": blob(9000)}, "PROJECT": blob(700)}
    assert write_compound_file(one) == write_compound_file(two)
