"""The headers every answer carries, so that a browser holds the pages to what they are.

- Content-Security-Policy: only this site's own scripts, styles, images and requests; no inline
  script, style or event handler (the templates have none: styles in static/accord.css, htmx
  configured not to add a <style> or evaluate code); no other site may frame a page
  (frame-ancestors, and X-Frame-Options for older browsers); forms post only here.
- X-Content-Type-Options: nosniff (a download is never run as a script or page).
- Referrer-Policy: no-referrer (a negotiation's name in a URL never travels to another site).
- Cache-Control: no-store on every answer but the static files: pages and JSON are private.
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
STATIC_PREFIX = "/static/"  # the same for everyone: a browser may keep them


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer (keeping a header a route set itself)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = ALWAYS if str(scope.get("path", "")).startswith(STATIC_PREFIX) else ALWAYS + PRIVATE

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
