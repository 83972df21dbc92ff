"""The API's front door: a JSON index at /api/v1/ and a reference page at /api/v1/docs/.

The reference is drawn on the server from the OpenAPI schema itself, so it
can never disagree with the API, needs no script, works under the site's
strict CSP and reads like the rest of the site (Swagger UI would need inline
styles and fails the accessibility checks every public page passes).
"""

import re
from dataclasses import dataclass, field

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from articles.markdown import render_markdown
from pagecache.decorators import public_page

ENDPOINTS = ("frameworks", "metrics", "measurements", "guides")


@public_page
@require_safe
def index(request):
    """Where everything is, for a client that starts at the root."""
    absolute = request.build_absolute_uri
    return JsonResponse(
        {
            "name": "compare_site open data",
            "version": "1",
            "documentation": absolute(reverse("api-docs")),
            "openapi": absolute(reverse("api:openapi-json")),
            "endpoints": {name: absolute(reverse(f"api:{name}")) for name in ENDPOINTS}
            | {
                "framework": absolute(reverse("api:frameworks")) + "/{slug}",
                "guide": absolute(reverse("api:guides")) + "/{slug}",
                "compare": absolute(reverse("api:api-root")) + "compare/{a}-vs-{b}",
            },
            "downloads": {
                "framework": absolute("/frameworks/") + "{slug}/figures.{csv,json}",
                "compare": absolute("/compare/") + "{a}-vs-{b}/figures.{csv,json}",
            },
            "feeds": {
                "guide_changes": absolute("/guides/") + "{slug}/changes.atom",
                "figures": absolute(reverse("feeds:figures")),
                "guides": absolute(reverse("feeds:guides-atom")),
            },
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str
    constraints: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Parameter]
    responses: list[tuple[str, str, str]]  # (status, description, schema name)
    example: str


@dataclass
class Property:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Component:
    name: str
    description: str
    properties: list[Property] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def ref_of(schema: dict) -> str:
    """The object a schema names, through lists and "or null": "FrameworkDetail", or ""."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for inner in [schema.get("items", {}), *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        if name := ref_of(inner):
            return name
    return ""


CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> SafeString:
    """A one-line description with its `code` spans set as code, everything else escaped."""
    return mark_safe(CODE.sub(r"<code>\1</code>", conditional_escape(text)))


def type_of(schema: dict) -> str:
    """A schema's type in words: "Framework", "list of Figure", "integer or null"."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(dict.fromkeys(type_of(s) for s in schema.get("anyOf") or schema["oneOf"]))
    if "enum" in schema:
        return "one of " + ", ".join(f"“{v}”" for v in schema["enum"])
    if "const" in schema:
        return f"“{schema['const']}”"
    kind = schema.get("type", "any")
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}))
    if kind == "string" and schema.get("format"):
        return schema["format"]
    return kind


def constraints_of(schema: dict) -> str:
    parts = []
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {schema['default']}")
    if "minimum" in schema:
        parts.append(f"at least {schema['minimum']}")
    if "maximum" in schema:
        parts.append(f"at most {schema['maximum']}")
    if "maxLength" in schema:
        parts.append(f"up to {schema['maxLength']} characters")
    return ", ".join(parts)


def _flatten(schema: dict) -> dict:
    """A parameter's schema without the "or null" wrapper pydantic puts round optional values."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        return {**options[0], **{k: v for k, v in schema.items() if k != "anyOf"}}
    return schema


def _example(path: str, parameters: list[dict]) -> str:
    """The path with each path parameter filled from the schema's own example."""
    filled = path
    for p in parameters:
        if p["in"] == "path":
            example = next(iter(p.get("examples", {}).values()), {}).get("value", p["name"])
            filled = filled.replace("{" + p["name"] + "}", str(example))
    return filled


def operations(schema: dict) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            parameters = []
            for p in op.get("parameters", []):
                flat = _flatten(p.get("schema", {}))
                parameters.append(
                    Parameter(
                        p["name"],
                        p["in"],
                        type_of(flat),
                        p.get("required", False),
                        inline(p.get("description") or flat.get("description", "")),
                        constraints_of(flat),
                    )
                )
            responses = []
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append((status, inline(response.get("description", "")), ref_of(content) if content else ""))
            anchor = op.get("operationId", path).replace("_", "-")
            found.append(
                Operation(
                    method.upper(),
                    path,
                    anchor,
                    op.get("summary", ""),
                    render_markdown(op.get("description", "")),
                    parameters,
                    responses,
                    _example(path, op.get("parameters", [])),
                )
            )
    return found


def components(schema: dict) -> list[Component]:
    found = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        component = Component(name, inline(body.get("description", "")))
        required = set(body.get("required", []))
        for prop, spec in body.get("properties", {}).items():
            component.properties.append(
                Property(prop, type_of(spec), prop in required, inline(spec.get("description", "")))
            )
        for variant in body.get("oneOf", []):
            component.variants.append(type_of(variant))
        found.append(component)
    return found


@public_page
@require_safe
def reference(request):
    from .urls import api

    schema = api.get_openapi_schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "description": render_markdown(schema["info"].get("description", "")),
            "operations": operations(schema),
            "components": components(schema),
            "origin": request.build_absolute_uri("/").rstrip("/"),
        },
    )
