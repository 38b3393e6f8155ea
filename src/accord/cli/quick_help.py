"""Typer's help and usage errors, drawn by rich exactly as before, without the rich parts they never use.

Typer draws `--help` and usage errors with ``typer.rich_utils``, whose first lines import
``rich.markdown`` (markdown-it, for the "markdown" markup mode, which accord does not use) and
``rich.traceback`` (Pygments, for pretty tracebacks, which accord turns off): ~0.15 s of the 0.3 s
that `accord --help` may take. ``install()`` lets that one import find stand-ins for the two
modules; each name it takes from them is a class that loads the real one on first use (a call, an
attribute, isinstance), so the help pages and error boxes are the same, byte for byte, and the
markdown mode or a rich traceback would still work. The stand-ins leave ``sys.modules`` as soon as
``typer.rich_utils`` is loaded: any other ``import rich.markdown`` gets the real module.
tests/unit/test_startup_imports.py compares the output with and without this.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader

TARGET = "typer.rich_utils"
DEFERRED = ("rich.markdown", "rich.traceback")


class _Deferred(type):
    """The metaclass of a stand-in: everything is asked of the real class, loaded on first use."""

    _module: str
    _name: str

    def _real(cls) -> Any:
        return getattr(importlib.import_module(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls._real(), name)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls._real())

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, cls._real())


def _stand_in(module: str) -> types.ModuleType:
    stand_in = types.ModuleType(module, f"stands for {module} while {TARGET} loads")

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        deferred = _Deferred(name, (), {"_module": module, "_name": name})
        setattr(stand_in, name, deferred)
        return deferred

    setattr(stand_in, "__getattr__", __getattr__)  # noqa: B010 (PEP 562: a module's own __getattr__)
    return stand_in


class _Loader:  # (importlib.abc's base classes cost 5 ms to import)
    def __init__(self, real: Loader) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ...: the real loader's
        return getattr(self.real, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        placed = {name: _stand_in(name) for name in DEFERRED if name not in sys.modules}
        sys.modules.update(placed)
        try:
            self.real.exec_module(module)
        finally:
            for name, stand_in in placed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


class _Finder:
    def find_spec(
        self, fullname: str, path: Any = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)  # once
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]  # a Loader by duck typing
        return spec


def install() -> None:
    """Load ``typer.rich_utils`` (when Typer first needs it) without rich's markdown and tracebacks."""
    if TARGET not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
