"""The SPC choices the Making Data Count (MDC) tools differ on, as workbook settings.

Defaults are the MDC Excel tool's, so a chart here matches the one the board has seen before.
Each can be changed in the `Settings` sheet (names case-insensitive, values as typed):

| setting | value | default | what it decides |
|---|---|---|---|
| `spc_shift_points` | 5 to 9 | 6 | points in a row on one side of the mean that make a shift |
| `spc_trend_points` | 5 to 9 | 6 | points in a row, each higher (or lower), that make a trend |
| `spc_min_points` | 2 to 100 | 13 | fewer points: the mean only, no limits, no icons |
| `spc_two_of_three_beyond_limit` | exclude, include | exclude | see below |
| `spc_conflict` | improvement, concern | improvement | what a point flagged both ways shows |
| `spc_screen_moving_ranges` | yes, no | no | leave outlying moving ranges out of the limits |

- Shift: MDC's Excel tool uses 6, the MDC SQL query and NHSRplotthedots 7. A point on the mean
  breaks the run. Trend: a tie breaks the run; a trend may cross the mean.
- Two of three: whether a point beyond a process limit counts as "beyond 2σ" (it always counts
  as being on its side). MDC announced `include` in 2023; the Excel tool still excludes.
- Conflict: a trend can cross the mean, so a point can be flagged both ways.
- Screening drops moving ranges above 3.267 × their mean before the limits are set
  (NHSRplotthedots does by default; the MDC tools do not).

A blank value means the default. `parse_spc_settings` checks raw values and names every problem,
so the contract reader can point at the cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

BEYOND_LIMIT_CHOICES = ("exclude", "include")
CONFLICT_CHOICES = ("improvement", "concern")
YES_NO = ("yes", "no")

# Settings sheet name -> SpcSettings field
SETTING_NAMES: dict[str, str] = {
    "spc_shift_points": "shift_points",
    "spc_trend_points": "trend_points",
    "spc_min_points": "min_points",
    "spc_two_of_three_beyond_limit": "two_of_three_beyond_limit",
    "spc_conflict": "conflict",
    "spc_screen_moving_ranges": "screen_moving_ranges",
}

_WHOLE_RANGES = {"shift_points": (5, 9), "trend_points": (5, 9), "min_points": (2, 100)}
_CHOICES = {
    "two_of_three_beyond_limit": BEYOND_LIMIT_CHOICES,
    "conflict": CONFLICT_CHOICES,
}


@dataclass(frozen=True)
class SpcSettings:
    """The rule choices in force (field names are the setting names without `spc_`)."""

    shift_points: int = 6
    trend_points: int = 6
    min_points: int = 13
    two_of_three_beyond_limit: str = "exclude"
    conflict: str = "improvement"
    screen_moving_ranges: bool = False

    def __post_init__(self) -> None:
        problems = _problems_in(self)
        if problems:
            raise ValueError("; ".join(problems.values()))

    def describe(self) -> list[tuple[str, str, str]]:
        """(setting, value, meaning) for each setting in force: what the Key prints."""
        beyond = (
            "points beyond a process limit do not count"
            if self.two_of_three_beyond_limit == "exclude"
            else "points beyond a process limit count too"
        )
        screen = (
            "moving ranges above 3.267 × their mean are left out of the limits"
            if self.screen_moving_ranges
            else "every moving range counts towards the limits"
        )
        return [
            (
                "spc_shift_points",
                str(self.shift_points),
                f"a shift is {self.shift_points} or more points in a row on one side of the mean",
            ),
            (
                "spc_trend_points",
                str(self.trend_points),
                f"a trend is {self.trend_points} or more points in a row each higher "
                "(or each lower) than the one before",
            ),
            (
                "spc_min_points",
                str(self.min_points),
                f"limits and icons need at least {self.min_points} points",
            ),
            (
                "spc_two_of_three_beyond_limit",
                self.two_of_three_beyond_limit,
                f"two of three points beyond the 2σ line: {beyond}",
            ),
            (
                "spc_conflict",
                self.conflict,
                f"a point that is both improvement and concern shows as {self.conflict}",
            ),
            ("spc_screen_moving_ranges", "yes" if self.screen_moving_ranges else "no", screen),
        ]


def _problems_in(s: SpcSettings) -> dict[str, str]:
    """Problems with already-typed values (the dataclass's own check)."""
    problems: dict[str, str] = {}
    for name, field in SETTING_NAMES.items():
        value = getattr(s, field)
        if field in _WHOLE_RANGES:
            lo, hi = _WHOLE_RANGES[field]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                problems[name] = f"{name} must be a whole number from {lo} to {hi}; found {value!r}"
        elif field in _CHOICES:
            if value not in _CHOICES[field]:
                problems[name] = (
                    f"{name} must be one of {', '.join(_CHOICES[field])}; found {value!r}"
                )
        elif not isinstance(value, bool):
            problems[name] = f"{name} must be yes or no; found {value!r}"
    return problems


def _blank(v: Any) -> bool:
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and math.isnan(v))
    )


def _shown(v: Any) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return f"{v:g}" if isinstance(v, float) else repr(v)


def _whole(name: str, v: Any, lo: int, hi: int) -> tuple[int | None, str | None]:
    number: float | None = None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        number = float(v)
    elif isinstance(v, str):
        try:
            number = float(v.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or not number.is_integer():
        return None, f"{name} must be a whole number from {lo} to {hi}; found {_shown(v)}"
    if not lo <= number <= hi:
        return None, f"{name} must be a whole number from {lo} to {hi}; found {number:g}"
    return int(number), None


def _choice(name: str, v: Any, allowed: tuple[str, ...]) -> tuple[str | None, str | None]:
    text = str(v).strip().lower() if isinstance(v, str) else None
    if text in allowed:
        return text, None
    return None, f"{name} must be one of {', '.join(allowed)}; found {_shown(v)}"


def _yes_no(name: str, v: Any) -> tuple[bool | None, str | None]:
    if isinstance(v, bool):  # a TRUE/FALSE cell
        return v, None
    text, problem = _choice(name, v, YES_NO)
    if problem:
        return None, f"{name} must be yes or no; found {_shown(v)}"
    return text == "yes", None


def parse_spc_settings(raw: Mapping[str, Any]) -> tuple[SpcSettings | None, dict[str, str]]:
    """SPC settings from raw Settings-sheet values: (settings, {}) or (None, problems).

    `raw` maps setting names to cell values (text, numbers, TRUE/FALSE, None); names that are
    not SPC settings are ignored, so the whole Settings sheet can be passed. A blank value keeps
    the default. Problems are keyed by setting name, one message each, for example
    `spc_shift_points must be a whole number from 5 to 9; found "six"`.
    """
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, v in raw.items():
        name = str(key).strip().lower()
        field = SETTING_NAMES.get(name)
        if field is None or _blank(v):
            continue
        if field in _WHOLE_RANGES:
            value, problem = _whole(name, v, *_WHOLE_RANGES[field])
        elif field in _CHOICES:
            value, problem = _choice(name, v, _CHOICES[field])
        else:
            value, problem = _yes_no(name, v)
        if problem:
            problems[name] = problem
        else:
            values[field] = value
    if problems:
        return None, problems
    return SpcSettings(**values), {}


def settings_from_options(
    settings: SpcSettings | None = None, options: Mapping[str, Any] | None = None
) -> SpcSettings:
    """Settings for the Python API: a base (defaults) with keyword overrides.

    Overrides may use the field names (`shift_points=7`) or the Settings sheet names
    (`spc_shift_points=7`), and take values as a sheet would (`screen_moving_ranges="yes"`).
    An unknown name is a TypeError, a bad value a ValueError naming every problem.
    """
    base = settings or SpcSettings()
    if not options:
        return base
    field_names = {f.name for f in fields(SpcSettings)}
    raw: dict[str, Any] = {}
    for key, v in options.items():
        name = key if key in SETTING_NAMES else f"spc_{key}"
        if name not in SETTING_NAMES or (key not in SETTING_NAMES and key not in field_names):
            known = ", ".join(sorted(field_names))
            raise TypeError(f"unknown SPC setting {key!r} (known: {known})")
        if not _blank(v):  # None keeps the base's value
            raw[name] = v
    current = {n: getattr(base, f) for n, f in SETTING_NAMES.items()}
    parsed, problems = parse_spc_settings({**current, **raw})
    if parsed is None:
        raise ValueError("; ".join(problems.values()))
    return parsed
