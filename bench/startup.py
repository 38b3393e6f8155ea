"""Start-up benchmark: each command as a whole process, as a person types it.

Prints one table: per command the median of --repeat runs of the wall time and of
the CPU time (user + system of the child: less sensitive than the wall time to other
work on the machine, which the table's caption reports as the load average), the
target where there is one and the verdict (met, or missed by how much).
Targets (idle machine): `accord --help` <= 0.3 s; `accord solve … --concept nash
--json` <= 0.8 s. One untimed run of each command first lets Python write its
bytecode caches (as an installed package has them), even where
PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "examples/peace-framework-2025.yaml"
COMMANDS: list[tuple[list[str], float | None]] = [
    (["--help"], 0.3),
    (["solve", "--help"], None),
    (["validate", SCENARIO], None),
    (["solve", SCENARIO, "--concept", "nash", "--json"], 0.8),
    (["show", SCENARIO], None),
]


def accord_executable() -> list[str]:
    script = Path(sys.executable).with_name("accord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "accord"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--targets", action="store_true", help="Time only the commands that have a target.")
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100"}
    warm = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    accord = accord_executable()
    before = os.getloadavg()[0]
    table = Table(title=f"accord start-up: whole process, median of {args.repeat}")
    for column in ("command", "wall s", "CPU s", "target s", "verdict"):
        table.add_column(column, justify="left" if column in ("command", "verdict") else "right")
    for words, target in COMMANDS:
        if args.targets and target is None:
            continue
        argv = [*accord, *words]
        run_once(argv, warm)
        walls, cpus = zip(*(run_once(argv, env) for _ in range(args.repeat)), strict=True)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        table.add_row("accord " + " ".join(words), f"{wall:.3f}", f"{cpu:.3f}", *_verdict(wall, target))
    table.caption = (
        f"load average (1 min) {before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} "
        "cores; the targets hold for an idle machine (CPU s is the steadier figure under load)"
    )
    Console().print(table)


def _verdict(wall: float, target: float | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if wall <= target:
        return f"{target:.1f}", f"met ({target - wall:.2f} s to spare)"
    return f"{target:.1f}", f"missed by {wall - target:.2f} s"


if __name__ == "__main__":
    main()
