"""How long loading (with full validation) and dumping scenario files takes.

Prints one table: the shipped examples and synthetic scenarios up to
300 points x 6 options x 10 parties. Run with `make bench`.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from accord.domain import Negotiation, Option, Party, Point, Preferences, RedLine
from accord.scenario import dump, load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def synthetic(points: int, options: int, parties: int, seed: int = 7) -> Negotiation:
    rng = random.Random(seed)
    framework = tuple(
        Point(f"p{i}", i + 1, f"Point {i + 1}", tuple(Option(f"o{j}", f"Option {j}") for j in range(options)))
        for i in range(points)
    )
    sides = tuple(Party(f"party{k}", f"Party {k}") for k in range(parties))
    preferences = {
        side.id: Preferences(
            party=side.id,
            weights={p.id: rng.randint(0, 10) + 1 for p in framework},
            scores={p.id: {o.key: rng.randint(0, 10) for o in p.options} for p in framework},
            score_scale=10,
            # the same red line may be drawn twice; keep each once so the scenario stays valid
            red_lines=tuple(
                dict.fromkeys(
                    RedLine(f"p{rng.randrange(points)}", f"o{rng.randrange(options)}") for _ in range(3)
                )
            ),
            reservation_value=0.3,
        )
        for side in sides
    }
    return Negotiation(f"synthetic-{points}x{options}x{parties}", "Synthetic", framework, sides, preferences)


def median_ms(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    table = Table(title="Scenario files: load (with validation) and dump, median of 5 runs")
    for column in ("scenario", "points", "parties", "file size", "load ms", "dump ms"):
        table.add_column(column, justify="right" if column != "scenario" else "left")
    with tempfile.TemporaryDirectory() as folder:
        cases: list[tuple[str, Path]] = [(p.name, p) for p in sorted(EXAMPLES.glob("*.yaml"))]
        for shape in ((28, 5, 3), (100, 6, 5), (300, 6, 10)):
            path = Path(folder) / f"synthetic-{'x'.join(map(str, shape))}.yaml"
            dump(synthetic(*shape), path)
            cases.append((path.name, path))
        for name, path in cases:
            negotiation = load(path)
            out = Path(folder) / f"out-{name}"
            table.add_row(
                name,
                str(len(negotiation.points)),
                str(len(negotiation.parties)),
                f"{path.stat().st_size / 1024:.0f} KiB",
                f"{median_ms(lambda p=path: load(p)):.1f}",
                f"{median_ms(lambda n=negotiation, o=out: dump(n, o)):.1f}",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
