"""MS-OVBA §2.4.3 data encryption: how PROJECT stores protection, password and visibility.

Not secrecy, a checksum: each value is XOR-chained from a seed and a key summed from the
project's ID, and a project whose values do not decode with its own ID is "unviewable" in
Excel. The seed and the ignored filler bytes are free choices; fixing them keeps builds equal.
"""

from __future__ import annotations

import struct

VERSION = 2
SEED = 0x5D  # any byte; (SEED & 6) // 2 == 2 filler bytes
FILLER = 0x00


def project_key(project_id: str) -> int:
    """The sum of the bytes of the ID as written in PROJECT (`{GUID}`), modulo 256."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int = SEED) -> str:
    """The value as PROJECT writes it: upper-case hex of seed, version, key, filler, length,
    data."""
    key = project_key(project_id)
    version_enc = seed ^ VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    plain_last, enc_last, enc_before = key, key_enc, version_enc
    filler = [FILLER] * ((seed & 6) // 2)
    for byte in [*filler, *struct.pack("<I", len(data)), *data]:
        enc = byte ^ ((enc_before + plain_last) & 0xFF)
        out.append(enc)
        enc_before, enc_last, plain_last = enc_last, enc, byte
    return out.hex().upper()
