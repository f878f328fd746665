"""Line charts drawn on the server as SVG geometry (no script, no CDN): the template only draws
what is computed here. Each chart's table next to it is its accessible equivalent."""

from __future__ import annotations

from dataclasses import dataclass

from r2p_network.reports.queries import Table

# Okabe and Ito's palette, told apart with the common kinds of colour blindness; dashes too.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#000000", "#7A5195")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 260, 44, 40, 12, 12


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dash: str
    segments: list[str]  # SVG polyline points; a suppressed value breaks the line
    dots: list[tuple[float, float, int]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    baseline: float


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 4, 5, 8 times a power of ten that is at least *value*: the axis's top."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 4, 5, 8):
            if multiple * magnitude >= value:
                return multiple * magnitude
        magnitude *= 10


def chart(table: Table, labels: list[str]) -> Chart:
    """The geometry of *table*'s series over the periods named by *labels*."""
    top = _nice_top(max((v for values in table.series.values() for v in values if v), default=1))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(value: int) -> float:
        return round(TOP + inner_h - value / top * inner_h, 1)

    lines = []
    for n, (name, values) in enumerate(table.series.items()):
        segments: list[list[str]] = [[]]
        dots = []
        for i, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            segments[-1].append(f"{x(i)},{y(value)}")
            dots.append((x(i), y(value), value))
        lines.append(
            Line(
                name,
                COLOURS[n % len(COLOURS)],
                DASHES[n % len(DASHES)],
                [" ".join(points) for points in segments if points],
                dots,
            )
        )
    # At most about twelve labels under the axis: every k-th period.
    every = max(1, -(-len(labels) // 12))
    return Chart(
        WIDTH,
        HEIGHT,
        lines,
        [(x(i), text) for i, text in enumerate(labels) if i % every == 0],
        [(y(tick), tick) for tick in sorted({top * k // 4 for k in range(5)})],
        y(0),
    )
