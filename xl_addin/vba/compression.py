"""MS-OVBA compression (§2.4.1): how the `dir` stream and every module's source are stored.

The format is a signature byte, then one chunk per 4096 bytes of input. A chunk is a sequence
of literal bytes and copy tokens (offset, length) that point back into the same chunk; the bit
split between offset and length grows with the position in the chunk. Matches are found
greedily through a table of earlier 3-byte sequences, which is plenty for source text.

A chunk whose tokens would not fit in 4096 bytes may be stored raw (flag 0). Readers accept
that, but Excel has been reported to drop a module stored that way, so the project builder asks
for compressed chunks only (`raw_chunks=False`): VBA text always compresses.
"""

from __future__ import annotations

import struct

CHUNK = 4096
SIGNATURE = 0x01
MIN_MATCH = 3
CANDIDATES = 64  # earlier positions tried per match: more costs time, gains almost nothing


class IncompressibleChunk(ValueError):
    """A chunk's tokens need more than 4096 bytes and raw chunks were not allowed."""

    def __init__(self, start: int):
        self.start = start
        super().__init__(f"the 4096 bytes from byte {start} do not compress")


def _bit_count(difference: int) -> int:
    """Bits of a copy token's offset at this distance from the chunk start (at least 4)."""
    return max((difference - 1).bit_length(), 4)


def _match_length(data: bytes, candidate: int, pos: int, limit: int) -> int:
    """How many bytes from `pos` repeat those from `candidate` (at most `limit`).

    The ranges may overlap: the decompressor copies byte by byte, so an overlapping match
    repeats the earlier bytes exactly as the input does.
    """
    if data[candidate : candidate + MIN_MATCH] != data[pos : pos + MIN_MATCH]:
        return 0
    low, high = MIN_MATCH, limit  # data agrees on `low` bytes; find the largest agreeing length
    while low < high:
        mid = (low + high + 1) // 2
        if data[candidate : candidate + mid] == data[pos : pos + mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _tokens(data: bytes, start: int, end: int) -> bytes:
    """Token sequences for data[start:end] (one chunk)."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_at = 0, 0
            if pos > start and end - pos >= MIN_MATCH:
                bits = _bit_count(pos - start)
                limit = min((0xFFFF >> bits) + MIN_MATCH, end - pos)
                for candidate in reversed(seen.get(data[pos : pos + MIN_MATCH], ())[-CANDIDATES:]):
                    length = _match_length(data, candidate, pos, limit)
                    if length > best_len:
                        best_len, best_at = length, candidate
                        if length == limit:
                            break
            if best_len >= MIN_MATCH:
                offset = pos - best_at
                token = ((offset - 1) << (16 - bits)) | (best_len - MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, min(pos + step, end - MIN_MATCH + 1)):
                seen.setdefault(data[p : p + MIN_MATCH], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes, *, raw_chunks: bool = True) -> bytes:
    """The MS-OVBA CompressedContainer for `data`.

    With `raw_chunks` False, a chunk that does not compress raises IncompressibleChunk instead
    of being stored raw. A raw chunk holds 4096 bytes, or the rest of the data if it is the last.
    """
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        end = min(start + CHUNK, len(data))
        body = _tokens(data, start, end)
        if len(body) <= CHUNK:
            header = 0xB000 | (len(body) + 2 - 3)  # flag 1, signature 0b011, size - 3
        elif raw_chunks:
            body = data[start:end]
            header = 0x3000 | (CHUNK + 2 - 3)  # flag 0, signature 0b011, always 4095
        else:
            raise IncompressibleChunk(start)
        out += struct.pack("<H", header) + body
    return bytes(out)
