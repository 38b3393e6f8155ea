"""The headers every answer carries, so that a browser holds the pages to what they are.

- Content-Security-Policy: only this site's own scripts, styles, images and requests; no inline
  script, style or event handler (the templates have none: styles in static/accord.css, htmx
  configured not to add a <style> or evaluate code); no other site may frame a page
  (frame-ancestors, and X-Frame-Options for older browsers); forms post only here.
- X-Content-Type-Options: nosniff (a download is never run as a script or page).
- Referrer-Policy: no-referrer (a negotiation's name in a URL never travels to another site).
- Cache-Control: no-store on every answer but the static files: pages and JSON are private.
- Strict-Transport-Security (a year) when served behind HTTPS (`accord serve --https`): a browser
  that has seen the site once never sends its session cookie over plain HTTP.

An answer to a request that failed inside the app (a defect: the 500 that Starlette's outermost
middleware would write without these headers) is written here, with them; the error goes on to be
logged.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

ALWAYS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
PRIVATE = [(b"cache-control", b"no-store")]
HSTS = [(b"strict-transport-security", b"max-age=31536000")]
STATIC_PREFIX = "/static/"  # the same for everyone: a browser may keep them


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer (keeping a header a route set itself)."""

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = ALWAYS if str(scope.get("path", "")).startswith(STATIC_PREFIX) else ALWAYS + PRIVATE
        added = added + HSTS if self.https else added
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:  # the 500 here, with the headers; the error is logged further out
                body = b"Internal Server Error"
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
            raise
