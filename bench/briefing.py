"""The briefing benchmark: the flagship's briefing, for the mediator and for one party, per format.

Prints one table: per reader and format, the median of --repeat runs of the whole briefing (reading
the scenario, the analyses, the charts, the document written), and of the typesetting alone (for
the PDF). Target: the whole briefing for the flagship in <= 5 s (idle machine).

A second table measures the choice of the PDF typesetter on the same briefing: WeasyPrint from the
briefing's HTML (chosen: CSS paged media gives page numbers, a table of contents with page numbers,
captions, vector SVG charts, and one layout for HTML and PDF) against fpdf2's HTML subset (already a
dependency, for fingerprinted copies: no CSS, no inline SVG, so no charts and no table of contents
with page numbers), each typesetting the same HTML (fpdf2 without the charts it cannot draw).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord.reports import brief_render  # noqa: E402
from accord.services import briefing  # noqa: E402

FLAGSHIP = ROOT / "examples" / "peace-framework-2025.yaml"
TARGET = 5.0


def median_time(work: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fpdf2_of(html: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.add_font("DejaVu", "I", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    body = re.sub(
        r"<figure.*?</figure>|<nav.*?</nav>|<style>.*?</style>|<caption>.*?</caption>", "", html, flags=re.S
    )
    body = re.sub(r"</?(section|thead|tbody)[^>]*>", "", body)
    body = body[body.find("<h1>") : body.rfind("</body>")]
    pdf.write_html(body)
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    console = Console(width=110)
    load = os.getloadavg()[0]
    table = Table(title=f"The flagship's briefing, median of {args.repeat} (load average {load:.1f})")
    for column in ("reader", "format", "whole briefing (s)", "typesetting alone (s)", "target", "verdict"):
        table.add_column(column)
    for reader in (None, "ukraine"):
        request = briefing.Request(party=reader)
        built = briefing.of_file(FLAGSHIP, request)
        for format in brief_render.FORMATS:
            whole = median_time(
                lambda r=request, f=format: brief_render.render(briefing.of_file(FLAGSHIP, r), f), args.repeat
            )
            alone = median_time(lambda b=built, f=format: brief_render.render(b, f), args.repeat)
            verdict = "met" if whole <= TARGET else f"missed by {whole - TARGET:.1f} s"
            table.add_row(
                reader or "mediator", format, f"{whole:.2f}", f"{alone:.2f}", f"<= {TARGET:.0f} s", verdict
            )
    console.print(table)

    built = briefing.of_file(FLAGSHIP, briefing.Request())
    html = brief_render.html(built)
    choice = Table(title="Typesetting the mediator's briefing to PDF (same HTML)")
    for column in ("typesetter", "seconds", "pages", "charts", "table of contents with pages"):
        choice.add_column(column)
    from io import BytesIO

    from pypdf import PdfReader

    weasy = brief_render.pdf(built)
    plain = fpdf2_of(html)
    choice.add_row(
        "WeasyPrint (chosen)",
        f"{median_time(lambda: brief_render.pdf(built), args.repeat):.2f}",
        str(len(PdfReader(BytesIO(weasy)).pages)),
        "vector (SVG)",
        "yes",
    )
    choice.add_row(
        "fpdf2 write_html",
        f"{median_time(lambda: fpdf2_of(html), args.repeat):.2f}",
        str(len(PdfReader(BytesIO(plain)).pages)),
        "none (no inline SVG)",
        "no",
    )
    console.print(choice)


if __name__ == "__main__":
    main()
