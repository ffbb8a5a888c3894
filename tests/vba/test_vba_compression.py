"""MS-OVBA compression, read back by oletools' decompressor (an independent implementation)."""

from __future__ import annotations

import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from xl_addin.excel.addin import xlwings_dir
from xl_addin.vba.compression import IncompressibleChunk, compress

EDGES = [0, 1, 2, 3, 4, 4095, 4096, 4097, 8191, 8192, 8193, 12288]


def chunks(container: bytes) -> list[tuple[bool, int]]:
    """(compressed flag, chunk size including its header) of each chunk."""
    assert container[0] == 0x01
    out, at = [], 1
    while at < len(container):
        (header,) = struct.unpack_from("<H", container, at)
        assert (header >> 12) & 0b111 == 0b011, "chunk signature"
        size = (header & 0x0FFF) + 3
        out.append((bool(header >> 15), size))
        at += size
    assert at >= len(container)
    return out


def vba_like(n: int, seed: int) -> bytes:
    """Source-like text: keywords, indentation and names, in CRLF lines."""
    rng = random.Random(seed)
    words = ["Dim", "As", "Long", "If", "Then", "End", "Sub", "x", "rng", "=", "&", '"a"', "1"]
    text = bytearray()
    while len(text) < n:
        text += b"    " * rng.randint(0, 3) + " ".join(rng.choices(words, k=6)).encode() + b"\r\n"
    return bytes(text[:n])


def noise(n: int) -> bytes:
    return random.Random(n).randbytes(n)


@pytest.mark.parametrize("n", EDGES)
@pytest.mark.parametrize("kind", ["text", "random", "repeated"])
def test_round_trip_at_chunk_edges(n, kind):
    data = {"text": vba_like(n, n), "random": noise(n), "repeated": b"A" * n}[kind]
    container = compress(data)
    assert decompress_stream(container) == data
    assert len(chunks(container)) == -(-n // 4096)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=9000))
def test_any_bytes_round_trip(data):
    assert decompress_stream(compress(data)) == data


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([b"Sub ", b"End Sub\r\n", b"    ", b"x", b"y", b"\r\n", b"'"]))
    .map(b"".join)
    .filter(lambda d: len(d) < 20000),
    st.integers(min_value=0, max_value=4),
)
def test_repetitive_text_round_trips_with_compressed_chunks_only(data, shift):
    data = b"z" * shift + data  # move the repeats across the 4096-byte chunk edges
    container = compress(data, raw_chunks=False)
    assert decompress_stream(container) == data
    assert all(flag and size <= 4098 for flag, size in chunks(container))


@pytest.mark.parametrize("name", ["xlwings_custom_addin.bas", "addin/Dictionary.cls"])
def test_xlwings_modules_round_trip_compressed(name):
    data = (xlwings_dir() / name).read_bytes()
    container = compress(data, raw_chunks=False)
    assert decompress_stream(container) == data
    assert len(container) < len(data) / 2
    assert all(flag for flag, _ in chunks(container))


def test_data_that_does_not_compress_is_stored_raw_or_refused():
    data = noise(5000)
    container = compress(data)
    assert chunks(container)[0] == (False, 4098)
    assert decompress_stream(container) == data
    with pytest.raises(IncompressibleChunk) as caught:
        compress(data, raw_chunks=False)
    assert caught.value.start == 0
