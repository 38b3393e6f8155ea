"""The workbench's words in the reader's language: one catalogue of interface strings (gettext).

The templates mark their words with ``{% trans %}…{% endtrans %}`` or ``{{ _("…") }}``, the pages'
Python code with ``_("…")`` (``words(request)``) or ``N_("…")`` for a label kept in a table and
translated where it is shown. ``make messages`` collects them into ``locale/messages.pot`` and
brings every catalogue ``locale/<language>/LC_MESSAGES/messages.po`` up to date (docs/translating.md).

The language is ``$ACCORD_LANGUAGE`` (``en`` unless set; ``accord serve --language``), read when the
application is made; its catalogue is read from the ``.po`` file itself, so a translation is one file
and no build step. ``$ACCORD_LOCALE`` names a folder of catalogues of one's own, used instead of the
package's (``<folder>/<language>/LC_MESSAGES/messages.po``).
What the services say (a refused amendment, a scenario's problems) is shared with the command line
and stays English.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.errors import SettingsError
from accord.web.app_paths import HERE

LOCALE = HERE / "locale"
DOMAIN = "messages"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"  # every string, untranslated: where a translation starts
LANGUAGE_VARIABLE = "ACCORD_LANGUAGE"
LOCALE_VARIABLE = "ACCORD_LOCALE"
SOURCE_LANGUAGE = "en"
_TAG = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


def N_(message: str) -> str:  # the name gettext's tools look for
    """Mark a label kept in a table for the catalogue; it is translated where it is shown. A template's
    ``_(label)`` is not escaped (a catalogue's strings may hold markup): only the code's own labels go
    through it, never the record's data."""
    return message


# the record's words a page shows as stored (a timeline entry's kind, a point's change between two
# drafts), in the catalogue so that a template may show them as {{ _(kind) }}
VOCABULARY = (
    *(N_("meeting"), N_("paper"), N_("statement"), N_("event"), N_("draft"), N_("circulation"), N_("stance")),
    *(N_("added"), N_("dropped"), N_("changed"), N_("unchanged")),
)


def languages(locale: Path = LOCALE) -> list[str]:
    """The languages with a catalogue."""
    return sorted(p.parent.parent.name for p in locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def chosen_language() -> str:
    """``$ACCORD_LANGUAGE``, or English."""
    return os.environ.get(LANGUAGE_VARIABLE, "").strip() or SOURCE_LANGUAGE


def chosen_locale() -> Path:
    """``$ACCORD_LOCALE``, or the package's own catalogues."""
    raw = os.environ.get(LOCALE_VARIABLE, "").strip()
    if not raw:
        return LOCALE
    if not Path(raw).is_dir():
        raise SettingsError(
            f"${LOCALE_VARIABLE}={raw!r}: no such folder; expected one holding <language>/LC_MESSAGES/"
            f"{DOMAIN}.po"
        )
    return Path(raw)


def catalogue(
    language: str, locale: Path = LOCALE, named: str = f"${LANGUAGE_VARIABLE}"
) -> gettext.NullTranslations:
    """The translations of ``language`` from its ``.po`` file; English without one is the source text.
    ``named``: where the language was given, as an error names it (the variable, or an option)."""
    if not _TAG.match(language):
        raise SettingsError(f"{named}={language!r}: expected a language code such as en, fr, ru or uk")
    po = locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        if language == SOURCE_LANGUAGE:
            return gettext.NullTranslations()
        known = ", ".join(languages(locale)) or "none"
        raise SettingsError(
            f"{named}={language!r}: no catalogue {po}; languages with one: {known} "
            "(docs/translating.md says how to add one)"
        )
    return _compiled(po, po.stat().st_mtime_ns)


@cache
def _compiled(po: Path, _modified: int) -> gettext.NullTranslations:
    # Babel reads and compiles the catalogue; only the workbench needs it, and only at start
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        messages = read_po(source)
    for message in messages:
        if message.id and message.string and not _fits(message.id, message.string):
            message.string = ""  # a page shows the English rather than fail on a mistyped placeholder
    compiled = io.BytesIO()
    write_mo(compiled, messages)  # fuzzy entries are left out: not yet a translation
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _fits(source: str | Sequence[str], translated: str | Sequence[str]) -> bool:
    """Whether each form of a translation takes the source's placeholders (``%(version)s``; ``%%`` for
    a percent sign): a page fills them in, and a name the source lacks or a lone ``%`` would fail."""
    forms = (translated,) if isinstance(translated, str) else translated
    names = " ".join((source,) if isinstance(source, str) else source)
    filled = {name: 1 for name in _PLACEHOLDER.findall(names)} | {"num": 1}
    try:
        for form in forms:
            if form:
                _ = form % filled  # only whether it formats
    except (KeyError, ValueError, TypeError):
        return False
    return True


def words(request: Request) -> Callable[[str], str]:
    """The gettext of the request's application: ``_ = words(request)``."""
    found: gettext.NullTranslations = getattr(request.app.state, "translations", None) or _SOURCE
    return found.gettext


def said(message: str) -> str:
    """``message`` in the language of the request being answered (set by ``Language``), for the words
    of code that has no request at hand (a form's checks): ``from ... import said as _``."""
    return _ANSWERING.get().gettext(message)


class Language:
    """Answers each request in its application's language: ``said`` reads it (an ASGI middleware; the
    request threads and the analysis threads copy the request's context)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        application = scope.get("app")
        found = getattr(getattr(application, "state", None), "translations", None)
        if not isinstance(found, gettext.NullTranslations):
            await self.app(scope, receive, send)
            return
        token = _ANSWERING.set(found)
        try:
            await self.app(scope, receive, send)
        finally:
            _ANSWERING.reset(token)


def install(environment: Environment) -> None:
    """Give the templates ``_()``, ``gettext()``, ``ngettext()`` and ``{% trans %}``, in the language of
    the application that renders them (``app.state.translations``). Whitespace inside a
    ``{% trans %}`` block is collapsed, so a sentence may run over several lines of a template."""
    environment.add_extension("jinja2.ext.i18n")
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _template_gettext, _template_ngettext, newstyle=True
    )
    # the same, faster for a string with no variable (most of them: a heading, a label)
    environment.globals["gettext"] = environment.globals["_"] = _template_gettext_newstyle
    environment.globals["language"] = _template_language


def _state(context: Context, name: str) -> object:
    app = getattr(context.get("request"), "app", None)
    return getattr(getattr(app, "state", None), name, None)


def _of(context: Context) -> gettext.NullTranslations:
    found = _state(context, "translations")
    return found if isinstance(found, gettext.NullTranslations) else _SOURCE


@pass_context
def _template_language(context: Context) -> str:
    """The page's language, for ``<html lang>``."""
    found = _state(context, "language")
    return found if isinstance(found, str) else SOURCE_LANGUAGE


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    return _of(context).gettext(message)


@pass_context
def _template_gettext_newstyle(context: Context, message: str, **variables: object) -> str:
    """Jinja's newstyle gettext (the translation is markup; its %-placeholders filled, escaped),
    without the formatting a string with neither variable nor ``%%`` does not need."""
    found = _of(context).gettext(message)
    if context.eval_ctx.autoescape:
        found = Markup(found)
    return found % variables if variables or "%" in found else found


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _of(context).ngettext(singular, plural, n)


_SOURCE = gettext.NullTranslations()
_ANSWERING: ContextVar[gettext.NullTranslations] = ContextVar("accord_answering_in", default=_SOURCE)
