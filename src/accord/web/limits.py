"""Request bodies larger than the limit are refused with 413 (accord.config: $ACCORD_MAX_BODY_BYTES,
`accord serve --max-body-bytes`).

A request that declares a larger Content-Length is answered at once, before any route runs; a body
sent without one (chunked) is counted as it arrives and refused when it passes the limit, before it is
parsed. Every form and JSON body of the workbench is far smaller than the default (1,000,000 bytes),
but a report uploaded to be read into the record (`/n/NAME/ingest`, `/api/negotiations/NAME/ingest`),
and a leaked copy uploaded to be traced (`/n/NAME/trace`), may be as large as the report limit
($ACCORD_MAX_REPORT_BYTES, 5 MB), which the reading refuses past; and the files to import (`/import`,
`/import/genius`), all of them together, as large as a scenario file may be ($ACCORD_MAX_FILE_BYTES).
"""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.config import limits

# the routes that take a report's file, and the envelope a multipart form adds around it
_REPORT_ROUTES = re.compile(r"^/(?:n/[^/]+/(?:ingest|trace)|api/negotiations/[^/]+/ingest)/?$")
# the routes that take a scenario's or GENIUS files to import: those files' limit (all of them together)
_IMPORT_ROUTES = re.compile(r"^/import(?:/genius)?/?$")
_FORM_ENVELOPE = 64 * 1024


def refusal(limit: int) -> str:
    return f"the request body is larger than {limit:,} bytes, the most the workbench accepts"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit: FastAPI and Starlette answer an
    HTTPException raised while a body is read with its status (413), never with a 400 or a 500."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=refusal(limit))


class BodyLimit:
    """ASGI middleware: at most ``max_bytes`` of request body (default: the configured limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = limits().body_bytes if max_bytes is None else max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        if _REPORT_ROUTES.match(str(scope.get("path", ""))):
            limit = max(limit, limits().report_bytes + _FORM_ENVELOPE)
        elif _IMPORT_ROUTES.match(str(scope.get("path", ""))):
            limit = max(limit, limits().file_bytes + _FORM_ENVELOPE)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    message = refusal(limit)
    if str(scope.get("path", "")).startswith("/api"):
        body = json.dumps({"error": "RequestTooLarge", "message": message, "problems": []}).encode()
        kind = b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the unread body is not waited for
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
