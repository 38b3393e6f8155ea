"""Reading YAML text with the line of every field, refusing duplicate keys.

PyYAML silently keeps the last of two equal keys; a negotiator who writes a
weight twice deserves to hear about it, so the node tree is walked before it
is turned into Python objects. Dates are left as text (the format validates
them itself), so a document means the same thing to YAML and to the JSON Schema.

What is read is bounded: a file larger than the limit (accord.config) is refused
before it is read whole, and aliases may add only so many values to a document —
a "billion laughs" file of 400 bytes would otherwise expand to billions. The
events are counted before any node is built, at C speed where libyaml is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accord.config import limits
from accord.errors import Problem
from accord.scenario.files import FileTooLarge, read_limited
from accord.scenario.paths import FieldPath, render

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


# libyaml's parser when PyYAML was built with it (about 10x faster), else pure Python
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ScenarioLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text."""


_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """A parsed document and where each of its fields stands in the file."""

    file: str
    document: Any = None
    lines: dict[FieldPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False

    def line_of(self, path: FieldPath) -> int | None:
        """The line of the field, or of its nearest enclosing field that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: FieldPath, message: str) -> Problem:
        return Problem(self.file, render(path), message, self.line_of(path))


def read_file(path: str | Path, what: str = "a scenario") -> Source:
    """Read and parse one YAML file; problems (unreadable, too large, not YAML...) are collected.
    ``what`` names what an empty file should have held."""
    file = str(path)
    try:
        raw = read_limited(path, limits().file_bytes)
    except FileTooLarge as exc:
        return Source(file, problems=[Problem(file, "", str(exc))], fatal=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Source(file, problems=[Problem(file, "", f"cannot read the file: {reason}")], fatal=True)
    return read_text(raw, file, what)


def read_text(raw: bytes, file: str, what: str = "a scenario") -> Source:
    """Decode and parse one scenario file's bytes; problems are collected, never raised."""
    source = Source(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        source.problems.append(
            Problem(file, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", line)
        )
        source.fatal = True
        return source
    return parse_text(text.removeprefix("\ufeff"), file, what)


def parse_text(text: str, file: str, what: str = "a scenario") -> Source:
    source = Source(file)
    if not text.strip():
        source.problems.append(Problem(file, "", f"the file is empty; expected {what}"))
        source.fatal = True
        return source
    loader: _ScenarioLoader | None = None
    try:
        expansion = _alias_problem(text, file, limits().alias_values)
        if expansion is not None:
            source.problems.append(expansion)
            source.fatal = True
            return source
        loader = _ScenarioLoader(text)
        node = loader.get_single_node()
        if node is None:
            source.problems.append(Problem(file, "", "the file holds no YAML document"))
            source.fatal = True
            return source
        source.lines[()] = node.start_mark.line + 1
        _walk(node, (), source)
        if not source.fatal:
            source.document = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        source.problems.append(Problem(file, "", f"not valid YAML: {what}", line))
        source.fatal = True
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        source.problems.append(
            Problem(file, "", f"not valid YAML: character #x{exc.character:04x} is not allowed", line)
        )
        source.fatal = True
    except yaml.YAMLError as exc:
        source.problems.append(Problem(file, "", f"not valid YAML: {exc}"))
        source.fatal = True
    except RecursionError:
        source.problems.append(Problem(file, "", "the document is nested too deeply"))
        source.fatal = True
    finally:
        if loader is not None:
            loader.dispose()
    return source


def _alias_problem(text: str, file: str, budget: int) -> Problem | None:
    """A problem when the document's aliases would add more than ``budget`` values (nodes) to it, or
    one refers to the collection that holds it; counted on the parser's events, before any node is
    built. Syntax errors are left for the composer to report."""
    sizes: dict[str, int] = {}  # anchor -> values (nodes) of the anchored node, itself included
    open_: list[list[Any]] = []  # collections being read: [anchor, values so far]
    added = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            name = event.anchor or ""
            if any(anchor == name for anchor, _ in open_):
                return Problem(file, "", f"alias *{name} refers to the collection that contains it", line)
            size = sizes.get(name, 0)  # an undefined alias: the composer says so
            added += size
            if added > budget:
                return Problem(
                    file,
                    "",
                    f"aliases would add more than {budget:,} values to the document "
                    f"(*{name} here); write the values out, or use fewer aliases",
                    line,
                )
        else:
            continue
        if open_:
            open_[-1][1] += size
    return None


def _walk(node: yaml.Node, path: FieldPath, source: Source) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                source.problems.append(
                    Problem(
                        source.file,
                        render(path),
                        f"key {shown!s} is not text; expected a text key (quote it: '{shown}')",
                        line,
                    )
                )
                source.fatal = True
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                source.problems.append(
                    Problem(
                        source.file,
                        render(child),
                        f"duplicate key {key!r} (first given on line {seen[key]}); expected each key once",
                        line,
                    )
                )
            else:
                seen[key] = line
                source.lines[child] = line
            _walk(value_node, child, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            source.lines[child] = item.start_mark.line + 1
            _walk(item, child, source)
