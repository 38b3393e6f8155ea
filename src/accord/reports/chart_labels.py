"""Labels that never overlap, for the Vega-Lite charts: where to write each marked package's name.

Vega-Lite writes a text where it is told and does not move it out of another's way, so the place of
each label is found here, in pixels, before the chart is drawn: a chart whose axes run over a fixed
domain (utilities, 0 to 1) in a panel of known size puts each spot at a known pixel. Labels of one
spot (marks drawn on top of each other) are written together, one name a line; each label goes to the
first place around its spot, nearest first, where it overlaps no label placed before, stays inside the
panel and covers as few other data points as it can. The text's size is estimated (the fonts of a
browser and of vl-convert differ by a pixel or two), with a margin for the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHARACTER = 6.6  # pixels per character of an 11-pixel sans-serif font, a little wide (the margin)
LINE = 13.0  # pixels per line
MARGIN = 2.0
SAME_SPOT = 3.0  # spots this close (pixels) share one label
DIRECTIONS = ((1, -1), (1, 1), (-1, -1), (-1, 1), (1, 0), (-1, 0), (0, -1), (0, 1))  # x right, y down
DISTANCES = (9.0, 16.0, 26.0, 38.0, 52.0, 68.0)


@dataclass(frozen=True)
class Label:
    """A label's text (one name a line) and its place from its spot: ``dx``, ``dy`` pixels (y down),
    aligned ``align`` (left, right, center) on ``baseline`` (top, middle, bottom)."""

    text: str
    dx: float
    dy: float
    align: str
    baseline: str


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels


def _box(spot: tuple[float, float], text: str, dx: float, dy: float) -> tuple[Box, str, str]:
    lines = text.split("\n")
    width = max(len(line) for line in lines) * CHARACTER + 2 * MARGIN
    height = len(lines) * LINE + 2 * MARGIN
    x, y = spot[0] + dx, spot[1] + dy
    align = "left" if dx > 0 else "right" if dx < 0 else "center"
    baseline = "bottom" if dy < 0 else "top" if dy > 0 else "middle"
    x0 = x if dx > 0 else x - width if dx < 0 else x - width / 2
    y0 = y - height if dy < 0 else y if dy > 0 else y - height / 2
    return (x0, y0, x0 + width, y0 + height), align, baseline


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(spot: tuple[float, float], box: Box) -> bool:
    return box[0] < spot[0] < box[2] and box[1] < spot[1] < box[3]


def _inside(a: Box, width: float, height: float) -> bool:
    return a[0] >= 0 and a[1] >= 0 and a[2] <= width and a[3] <= height


def place_labels(
    spots: Sequence[tuple[float, float]],
    names: Sequence[str],
    width: float,
    height: float,
    *,
    avoid: Sequence[tuple[float, float]] = (),
) -> list[Label | None]:
    """A label for each spot (pixels from the panel's top left), or None for a spot whose name is
    written in the label of an earlier spot at the same place."""
    groups: list[tuple[int, list[str]]] = []
    for index, (spot, name) in enumerate(zip(spots, names, strict=True)):
        for first, members in groups:
            there = spots[first]
            if abs(there[0] - spot[0]) <= SAME_SPOT and abs(there[1] - spot[1]) <= SAME_SPOT:
                members.append(name)
                break
        else:
            groups.append((index, [name]))
    placed: list[Box] = []
    labels: list[Label | None] = [None] * len(spots)
    for first, members in groups:
        text = "\n".join(members)
        spot = spots[first]
        best: tuple[tuple[int, float], Label, Box] | None = None
        for rank, distance in enumerate(DISTANCES):
            for ux, uy in DIRECTIONS:
                dx, dy = ux * distance, uy * distance
                box, align, baseline = _box(spot, text, dx, dy)
                if not _inside(box, width, height) or any(_overlap(box, other) for other in placed):
                    continue
                hidden = sum(1 for s in spots if s != spot and _within(s, box))
                covered = sum(1 for s in avoid if _within(s, box))
                score = (hidden, rank + covered / 20 + (0.5 if ux == 0 or uy == 0 else 0.0))
                if best is None or score < best[0]:
                    best = (score, Label(text, dx, dy, align, baseline), box)
            if best is not None and best[0] <= (0, rank + 1.0):
                break  # nothing further off can do better
        if best is None:  # no room anywhere: next to its spot
            box, align, baseline = _box(spot, text, DISTANCES[0], -DISTANCES[0])
            best = ((0, 0.0), Label(text, DISTANCES[0], -DISTANCES[0], align, baseline), box)
        placed.append(best[2])
        labels[first] = best[1]
    return labels
