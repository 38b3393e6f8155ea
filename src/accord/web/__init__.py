"""The web workbench: FastAPI, server-rendered pages (Jinja2, HTMX) and a JSON API under /api."""
