"""The pack's `Narrative`: the refresh's Narrative sheet (`render.narrative`), from the
commentary as shown (a published pack withholds sentences that would reveal small numbers)."""

from __future__ import annotations

import dataclasses

from ..render.narrative import build_narrative
from ..render.plan import SheetPlan, TextLine
from ..render.styles import SUBTITLE
from .context import PackContext


def build_pack_narrative(ctx: PackContext) -> SheetPlan:
    base = build_narrative(ctx.shown)
    title = base.text("title")
    subtitle = (
        f"Reporting month: {ctx.month}. Written from the figures: every number is computed, "
        "none typed."
    )
    if ctx.public:
        subtitle += " Sentences that would reveal small numbers are withheld."
    title = dataclasses.replace(title, lines=(title.lines[0], TextLine(subtitle, SUBTITLE)))
    texts = tuple(title if t.purpose == "title" else t for t in base.texts)
    return dataclasses.replace(base, texts=texts, page=ctx.page())
