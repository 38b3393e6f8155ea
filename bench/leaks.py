"""How well `accord trace` names the source of a leak: accuracy per scenario, by excerpt length,
and the time to trace against 1,000 recipients. Prints tables; numbers go in the issue note.

    python bench/leaks.py [--trials 500] [--recipients 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.leaks.simulate import Circulation, excerpt, garble, merge, retype  # noqa: E402

from accord.scenario import load  # noqa: E402


def rate(trials: int, run: object) -> float:
    return sum(run() for _ in range(trials)) / trials  # type: ignore[operator]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--recipients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    negotiation = load(ROOT / "examples" / "peace-framework-2025.yaml")
    c = Circulation.of(negotiation, 3, args.recipients, seed=args.seed)
    rng = random.Random(args.seed)
    console = Console()
    console.print(
        f"flagship draft v3: {len(retype(c.original()).split())} words, {len(c.document.sites)} "
        f"fingerprint sites, {args.recipients} recipients, {args.trials} trials per row"
    )

    def named_right(text: str, sources: set[int]) -> bool:
        named = c.trace(text).named
        return named is not None and named.copy.id in sources

    def full() -> bool:
        copy = rng.choice(c.copies)
        return named_right(retype(c.text(copy)), {copy.id})

    def cut(words: int, noise: float = 0.0) -> bool:
        copy = rng.choice(c.copies)
        return named_right(garble(excerpt(retype(c.text(copy)), words, rng), noise, rng), {copy.id})

    def unmarked() -> bool:
        return c.trace(excerpt(retype(c.original()), 150, rng)).named is None

    def colluders() -> bool:
        a, b = rng.sample(c.copies, 2)
        return named_right(retype(merge(c.text(a), c.text(b), rng)), {a.id, b.id})

    table = Table(title="Scenarios (targets from the issue)")
    for column in ("scenario", "result", "target"):
        table.add_column(column)
    table.add_row("(a) full copy, retyped: correct top-1", f"{rate(args.trials, full):.1%}", "100%")
    table.add_row(
        "(b) 150-word excerpt, retyped: correct top-1", f"{rate(args.trials, lambda: cut(150)):.1%}", ">= 99%"
    )
    table.add_row(
        "(c) (b) + 1% character errors", f"{rate(args.trials, lambda: cut(150, 0.01)):.1%}", ">= 95%"
    )
    table.add_row(
        "(d) unfingerprinted excerpt: no confident match", f"{rate(args.trials, unmarked):.1%}", ">= 99%"
    )
    table.add_row(
        "(e) two colluders merged by sentence: one named", f"{rate(args.trials, colluders):.1%}", ">= 90%"
    )
    console.print(table)

    lengths = Table(title="Correct and confident top-1 by excerpt length (retyped; and with 1% errors)")
    for column in ("words", "clean", "1% errors"):
        lengths.add_column(column, justify="right")
    for words in (20, 30, 40, 60, 80, 100, 150, 200):
        lengths.add_row(
            str(words),
            f"{rate(args.trials, lambda w=words: cut(w)):.1%}",
            f"{rate(args.trials, lambda w=words: cut(w, 0.01)):.1%}",
        )
    console.print(lengths)

    big = Circulation.of(negotiation, 3, 1000, seed=args.seed + 1)
    leaked = excerpt(retype(big.text(big.copies[500])), 150, rng)
    full_copy = retype(big.text(big.copies[123]))
    times = []
    for text in [leaked, full_copy] * 10:
        started = time.perf_counter()
        big.trace(text)
        times.append(time.perf_counter() - started)
    console.print(
        f"trace against 1,000 recipients: median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms (target < 1 s)"
    )


if __name__ == "__main__":
    main()
