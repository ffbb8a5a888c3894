"""The worked cases of shared/docs/spc.md, as written there (points numbered from 1)."""

CASE_1 = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
CASE_2 = [30, 31, 25, 35, 34, 15, 21, 23, 30, 26, 26, 22]
CASE_3 = [8, 27, 32, 26, 20, 21, 23, 21, 23, 22, 26, 23, 20, 20, 29, 28, 22, 23, 25, 26, 28, 29, 26,
          24, 36, 29, 35, 22, 30, 18]  # fmt: skip
CASE_4_TREND = [11, 14, 18, 20, 22, 23, 18, 21, 17, 23, 26, 20, 16, 25, 23, 22, 19, 16, 15, 12]
CASE_4_TIES = [23, 30, 28, 25, 25, 20, 18, 24, 16, 13, 14, 18, 18, 24, 26, 29, 19, 20, 28, 16]
CASE_5 = [16, 24, 22, 19, 19, 18, 24, 25, 18, 17, 16, 25, 15, 23, 19, 35, 32, 35, 31, 27, 33, 28,
          38, 35, 30, 28, 29, 27, 24, 23]  # fmt: skip


def numbered(points, kind):
    """The 1-based numbers of the points of one kind."""
    return [i + 1 for i, p in enumerate(points) if p == kind]
