"""The ribbon's icons, drawn on request as PNGs (no image files in the repository, no Pillow).

Each icon is a few flat shapes in a unit square, rasterised with numpy at four samples per pixel
per axis (so edges are smooth at 16 px) and written as an RGBA PNG with zlib.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Callable
from functools import cache

import numpy as np

SIZES = (16, 32, 64, 80)
"""The sizes the manifest names: 16/32/80 for buttons, 32/64 for the add-in's own icon."""
SUPERSAMPLE = 4
BLUE, RED, AMBER, GREEN, GREY = "#1F4E79", "#C00000", "#FFC000", "#00B050", "#7F7F7F"

Mask = Callable[[np.ndarray, np.ndarray], np.ndarray]
Shape = tuple[Mask, str]


def rect(x0: float, y0: float, x1: float, y1: float) -> Mask:
    return lambda x, y: (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def disc(cx: float, cy: float, r: float) -> Mask:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def ring(cx: float, cy: float, r0: float, r1: float, gap_from: float, gap_to: float) -> Mask:
    """An annulus with a gap between two angles (degrees, clockwise from east)."""

    def mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        d2 = (x - cx) ** 2 + (y - cy) ** 2
        angle = np.degrees(np.arctan2(y - cy, x - cx)) % 360
        return (d2 >= r0 * r0) & (d2 <= r1 * r1) & ~((angle >= gap_from) & (angle <= gap_to))

    return mask


def stroke(points: list[tuple[float, float]], width: float) -> Mask:
    """A polyline of the given width with round joins."""

    def mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.zeros_like(x, dtype=bool)
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            dx, dy = bx - ax, by - ay
            t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0, 1)
            out |= (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (width / 2) ** 2
        return out

    return mask


def polygon(points: list[tuple[float, float]]) -> Mask:
    """Even-odd fill."""

    def mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        inside = np.zeros_like(x, dtype=bool)
        n = len(points)
        for i in range(n):
            (ax, ay), (bx, by) = points[i], points[(i + 1) % n]
            crosses = (ay > y) != (by > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = (bx - ax) * (y - ay) / (by - ay) + ax
            inside ^= crosses & (x < at)
        return inside

    return mask


ICONS: dict[str, list[Shape]] = {
    # a circular arrow: recompute everything
    "refresh": [
        (ring(0.5, 0.5, 0.24, 0.36, 300, 360), BLUE),
        (polygon([(0.70, 0.12), (0.94, 0.30), (0.66, 0.40)]), BLUE),
    ],
    # a traffic light
    "rag": [
        (rect(0.28, 0.04, 0.72, 0.96), GREY),
        (disc(0.5, 0.2, 0.13), RED),
        (disc(0.5, 0.5, 0.13), AMBER),
        (disc(0.5, 0.8, 0.13), GREEN),
    ],
    # columns under a dashed target line
    "charts": [
        (rect(0.10, 0.55, 0.30, 0.92), BLUE),
        (rect(0.40, 0.40, 0.60, 0.92), BLUE),
        (rect(0.70, 0.25, 0.90, 0.92), BLUE),
        (rect(0.04, 0.14, 0.26, 0.20), RED),
        (rect(0.39, 0.14, 0.61, 0.20), RED),
        (rect(0.74, 0.14, 0.96, 0.20), RED),
    ],
    # a tick
    "validate": [(stroke([(0.12, 0.52), (0.40, 0.80), (0.90, 0.22)], 0.16), GREEN)],
    # a page with a downward arrow
    "export": [
        (rect(0.16, 0.06, 0.84, 0.94), GREY),
        (rect(0.22, 0.12, 0.78, 0.88), "#FFFFFF"),
        (rect(0.44, 0.20, 0.56, 0.56), BLUE),
        (polygon([(0.28, 0.52), (0.72, 0.52), (0.5, 0.80)]), BLUE),
    ],
    # an "i" in a disc
    "help": [
        (disc(0.5, 0.5, 0.46), BLUE),
        (disc(0.5, 0.27, 0.08), "#FFFFFF"),
        (rect(0.43, 0.42, 0.57, 0.78), "#FFFFFF"),
    ],
    # a window with a side pane
    "pane": [
        (rect(0.06, 0.12, 0.94, 0.88), GREY),
        (rect(0.12, 0.18, 0.58, 0.82), "#FFFFFF"),
        (rect(0.64, 0.18, 0.88, 0.82), BLUE),
    ],
    # the add-in itself: three RAG columns
    "addin": [
        (rect(0.08, 0.50, 0.32, 0.94), RED),
        (rect(0.38, 0.30, 0.62, 0.94), AMBER),
        (rect(0.68, 0.08, 0.92, 0.94), GREEN),
    ],
}


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def rgba(name: str, size: int) -> np.ndarray:
    """The icon as a size x size x 4 uint8 array (transparent background)."""
    n = size * SUPERSAMPLE
    centres = (np.arange(n) + 0.5) / n
    x, y = np.meshgrid(centres, centres)
    colour = np.zeros((n, n, 3))
    alpha = np.zeros((n, n))
    for mask, fill in ICONS[name]:
        m = mask(x, y)
        colour[m] = _rgb(fill)
        alpha[m] = 1.0
    shape = (size, SUPERSAMPLE, size, SUPERSAMPLE)
    a = alpha.reshape(shape).mean(axis=(1, 3))
    premultiplied = (colour * alpha[..., None]).reshape((*shape, 3)).sum(axis=(1, 3))
    samples = (alpha.reshape(shape).sum(axis=(1, 3)))[..., None]
    rgb = np.divide(premultiplied, samples, out=np.zeros_like(premultiplied), where=samples > 0)
    out = np.dstack([rgb, a * 255])
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(pixels: np.ndarray) -> bytes:
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


@cache
def png(name: str, size: int) -> bytes:
    """The PNG for icon `name` at `size` pixels; KeyError/ValueError for unknown ones."""
    if name not in ICONS:
        raise KeyError(name)
    if size not in SIZES:
        raise ValueError(size)
    return encode_png(rgba(name, size))
