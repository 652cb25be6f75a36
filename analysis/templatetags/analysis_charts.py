"""Server-rendered charts: geometry is worked out here so that the
templates only place shapes."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from profiles.grid import Row

register = template.Library()

PLOT_LEFT = 8
PLOT_WIDTH = 440
ROW_HEIGHT = 48
TOP = 8
AXIS_HEIGHT = 28


@dataclass(frozen=True)
class Bar:
    name: str
    expected: int | None
    current: int | None
    label_y: int
    bar_y: int
    current_width: float
    expected_x: float | None


@dataclass(frozen=True)
class Tick:
    number: int
    x: float


def level_x(level: int, high: int) -> float:
    return PLOT_LEFT + PLOT_WIDTH * level / high


@register.inclusion_tag("analysis/_person_chart.html")
def person_chart(row: Row) -> dict[str, object]:
    """Expected against current level per competence, one bar each."""
    cells = [c for c in row.cells if c.expected is not None or c.current is not None]
    if not cells:
        return {"bars": []}
    numbers = cells[0].competence.framework.scale.level_numbers() or [1]
    high = max(numbers)
    bars = []
    for index, cell in enumerate(cells):
        top = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                name=cell.competence.name,
                expected=cell.expected,
                current=cell.current,
                label_y=top + 14,
                bar_y=top + 22,
                current_width=level_x(cell.current or 0, high) - PLOT_LEFT,
                expected_x=None
                if cell.expected is None
                else level_x(cell.expected, high),
            )
        )
    axis_y = TOP + len(cells) * ROW_HEIGHT
    return {
        "bars": bars,
        "ticks": [Tick(n, level_x(n, high)) for n in range(0, high + 1)],
        "axis_y": axis_y,
        "height": axis_y + AXIS_HEIGHT,
        "width": PLOT_LEFT * 2 + PLOT_WIDTH,
        "plot_left": PLOT_LEFT,
        "plot_right": PLOT_LEFT + PLOT_WIDTH,
        "person": row.person,
        "language": cells[0].competence.framework.language,
    }
