"""A level suggested from the indicators a person ticks in a
self-assessment.

The rule: the share of a competence's indicators ticked, laid over the
scale from the bottom, rounded up. With four levels and eight
indicators, 1-2 ticked suggest level 1, 3-4 level 2, 5-6 level 3 and
7-8 level 4; nothing ticked suggests nothing. It is only a suggestion:
the person chooses the level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def suggested_level(ticked: int, total: int, levels: Sequence[int]) -> int | None:
    """The suggested level number, or None when nothing is ticked or the
    competence has no indicators or the scale no levels."""
    if ticked <= 0 or total <= 0 or not levels:
        return None
    ordered = sorted(levels)
    step = math.ceil(min(ticked, total) / total * len(ordered))
    return ordered[step - 1]
