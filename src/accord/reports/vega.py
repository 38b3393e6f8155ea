"""Vega-Lite specifications drawn at the edge: SVG or PNG for the CLI and files, and the JavaScript
that draws the same specifications in the browser.

A chart is a Vega-Lite specification (plain JSON data, written with Altair in the modules that make
each chart, e.g. reports/frontier_chart.py). The browser draws it with vega-embed; the CLI, the
briefing and the pages' pictures for readers without JavaScript draw the very same specification
with vl-convert (Vega and Vega-Lite running in an embedded JavaScript engine, offline), so that one
definition serves both and the two never disagree.

vl_convert is imported only when a chart is drawn: the CLI starts without it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from accord.errors import AccordError

Spec = dict[str, Any]  # a Vega-Lite specification as plain JSON data
FORMATS = (".png", ".svg")
PNG_SCALE = 2.0  # pixels per CSS pixel in a PNG: sharp on a high-density screen and in print


def with_rows(spec: Spec, rows: list[dict[str, Any]]) -> Spec:
    """``spec`` with ``rows`` as its data, put in after Altair wrote it: Altair copies every value of
    inline data through its schema classes (seconds for a frontier of 400 packages); plain JSON data
    need none of that."""
    spec["data"] = {"values": rows}
    empty = spec.get("datasets", {}).pop("empty", None) is not None
    if empty:  # Altair gives the views of a chart without data an empty dataset: they read the rows
        _read_rows(spec)
    if "datasets" in spec and not spec["datasets"]:
        del spec["datasets"]
    return spec


def _read_rows(view: Any) -> None:
    if isinstance(view, dict):
        if view.get("data") == {"name": "empty"}:
            del view["data"]
        for value in view.values():
            _read_rows(value)
    elif isinstance(view, list):
        for item in view:
            _read_rows(item)


def placeholder(alt: Any) -> Any:
    """Empty data for Altair where it insists on data (a faceted chart), replaced by :func:`with_rows`."""
    return alt.Data(values=[])


def _converter() -> Any:
    import vl_convert

    return vl_convert


def svg_of(spec: Spec) -> str:
    """The chart as SVG text (no links are followed: the data are inside the specification)."""
    return str(_converter().vegalite_to_svg(spec))


def png_of(spec: Spec, *, scale: float = PNG_SCALE) -> bytes:
    return bytes(_converter().vegalite_to_png(spec, scale=scale))


def render(spec: Spec, path: Path | str) -> Path:
    """Write the chart to ``path``: ``.svg`` or ``.png`` by its suffix."""
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise AccordError(f"cannot draw a plot as {target.name!r}; expected a .png or .svg file")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".svg":
        target.write_text(svg_of(spec), encoding="utf-8")
    else:
        target.write_bytes(png_of(spec))
    return target


def compiled(spec: Spec) -> dict[str, Any]:
    """The Vega specification Vega-Lite compiles ``spec`` to (raises ValueError when it is invalid)."""
    result = _converter().vegalite_to_vega(spec)
    return result if isinstance(result, dict) else dict(json.loads(result))


@functools.cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script (with what they import), from the vl-convert
    package installed with accord: the same versions that draw the SVG and PNG files. Built once per
    process (about 2 s), then kept: the web app serves it from its own origin, never from a CDN."""
    return str(_converter().javascript_bundle())


def versions() -> dict[str, str]:
    """The versions of the JavaScript libraries in :func:`javascript_bundle` (for its cache key)."""
    converter = _converter()
    return {
        "vega": str(converter.get_vega_version()),
        "vega-lite": str(converter.get_vegalite_versions()[-1]),
        "vega-embed": str(converter.get_vega_embed_version()),
    }
