"""The JSON API's documentation, for signed-in users only: the OpenAPI schema at /openapi.json (send
the session cookie or a bearer token) and a page drawn from it at /docs.

The page is drawn here rather than by Swagger UI, which FastAPI loads from a CDN: another site's
script on a confidential workbench is what the Content-Security-Policy keeps out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from accord.security.policy import Viewer
from accord.web.context import current_visit, logged_in, templates

router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str = ""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body: str | None  # the body's type
    example: str | None  # a body as JSON, where the schema gives one
    responses: list[Field]  # name: the status code; description: what it means


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    type: str
    fields: list[Field] = field(default_factory=list)


def type_of(schema: dict[str, Any]) -> str:
    """A JSON schema in a few words: ``array of StanceIn``, ``integer or null``, ``one of a, b``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for either in ("anyOf", "oneOf"):
        if either in schema:
            return " or ".join(type_of(s) for s in schema[either])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    extra = schema.get("additionalProperties")
    if kind == "object" and isinstance(extra, dict):
        return f"object of {type_of(extra)}"
    return str(kind)


def _json_body(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    found = content.get("application/json", {}).get("schema")
    return found if isinstance(found, dict) else None


def operations(schema: dict[str, Any]) -> list[Operation]:
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in methods:
                continue
            op = methods[method]
            body = _json_body(op)
            examples = (body or {}).get("examples") or []
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=[
                        Field(
                            f"{p['name']} ({p['in']})",
                            type_of(p.get("schema", {})),
                            bool(p.get("required")),
                            p.get("description", ""),
                        )
                        for p in op.get("parameters", [])
                    ],
                    body=type_of(body) if body is not None else None,
                    example=json.dumps(examples[0], indent=2) if examples else None,
                    responses=[
                        Field(code, _response_type(answer), False, answer.get("description", ""))
                        for code, answer in op.get("responses", {}).items()
                    ],
                )
            )
    return found


def _response_type(answer: dict[str, Any]) -> str:
    content = answer.get("content", {}).get("application/json", {})
    return type_of(content["schema"]) if "schema" in content else ""


def schemas(schema: dict[str, Any]) -> list[Schema]:
    found = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(body.get("required", []))
        fields = [
            Field(key, type_of(value), key in required, value.get("description", ""))
            for key, value in body.get("properties", {}).items()
        ]
        found.append(Schema(name, body.get("description", ""), type_of(body), fields))
    return found


@router.get("/openapi.json")
def openapi(request: Request, viewer: Who) -> Response:
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, viewer: Who) -> Response:
    schema = request.app.openapi()
    return templates.TemplateResponse(
        request,
        "api_docs.html",
        {
            "viewer": viewer,
            "csrf": current_visit(request).csrf_token,
            "name": None,
            "info": schema.get("info", {}),
            "operations": operations(schema),
            "schemas": schemas(schema),
        },
    )
