"""Encoding of the registry defined name that lists the generated sheets.

The registry is a hidden, workbook-scoped defined name (default ``_xl_addin_generated``) whose
value is a formula constant. Its text is ``v1`` followed by each generated sheet name, all joined
with ``:``. A colon can never occur in a sheet name, so no escaping beyond the formula's own
``""`` for a double quote is needed.

Excel limits one string literal in a formula to 255 characters, so a longer text is split at
name boundaries into several literals stored as a one-row array constant,
``{"v1:Scorecard:KPI Values","Charts - Early help:Narrative"}``. Readers join the literals with
``:``. Examples::

    "v1:Scorecard:KPI Values:Charts - Early help:Narrative"
    {"v1:Scorecard:...","Charts - Youth justice:Narrative"}
"""

from __future__ import annotations

import re

VERSION = "v1"
SEPARATOR = ":"
MAX_LITERAL = 255


def _literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def encode(sheet_names: list[str]) -> str:
    """Defined-name formula text for a list of generated sheet names."""
    for name in sheet_names:
        if SEPARATOR in name:
            raise ValueError(f"Sheet name {name!r} contains ':' which Excel forbids.")
    chunks: list[list[str]] = [[VERSION]]
    for name in sheet_names:
        current = chunks[-1]
        candidate = SEPARATOR.join([*current, name])
        if len(candidate) <= MAX_LITERAL:
            current.append(name)
        else:
            chunks.append([name])
    literals = [_literal(SEPARATOR.join(c)) for c in chunks]
    if len(literals) == 1:
        return literals[0]
    return "{" + ",".join(literals) + "}"


_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def decode(formula: str | None) -> list[str] | None:
    """Sheet names listed by a registry value; None when the text is not a v1 registry."""
    if formula is None:
        return None
    text = formula.strip()
    if text.startswith("="):
        text = text[1:].strip()
    body = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    parts: list[str] = []
    pos = 0
    while pos < len(body):
        m = _LITERAL.match(body, pos)
        if m is None:
            return None
        parts.append(m.group(1).replace('""', '"'))
        pos = m.end()
        while pos < len(body) and body[pos] in " ,;":
            pos += 1
    if not parts:
        return None
    items = SEPARATOR.join(parts).split(SEPARATOR)
    if items[0] != VERSION:
        return None
    return [n for n in items[1:] if n]
