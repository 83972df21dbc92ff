"""/api/v1/: the read-only open data API, its OpenAPI schema and its documentation page."""

from django.conf import settings
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from editorial.listing import ListingError
from pagecache.decorators import public_page

from . import docs
from .endpoints import router
from .errors import json_error

DESCRIPTION = """Everything compare_site publishes, as data: frameworks with their dated, sourced
figures, the history of every figure, the guides with their sections, and comparisons of any
2 to 4 frameworks. Read-only and open to anyone, with no key.

- Every figure says when it was true, where it came from, and whether a collector fetched it
  or an editor entered it. Figures waiting for an editor's review are not shown until accepted.
- Answers carry an ETag; send it back in If-None-Match and an unchanged answer costs a 304.
- {limit}
- Errors are JSON: `{"status": 404, "message": "…", "errors": []}`.
- CORS is open (`Access-Control-Allow-Origin: *`); no credentials are read.
"""

RATE_HEADERS = {
    name: {"description": description, "schema": {"type": "integer"}}
    for name, description in (
        ("RateLimit-Limit", "Requests one address may make in the window."),
        ("RateLimit-Remaining", "Requests left in the window now."),
        ("RateLimit-Reset", "Seconds until the oldest counted request leaves the window."),
    )
}
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
COMMON_RESPONSES = {
    "304": {"description": "Not modified: the ETag sent in If-None-Match is still current. No body."},
    "400": {"description": "A parameter is not valid; the message says which and why.", "content": ERROR_BODY},
    "429": {
        "description": "Too many requests from this address.",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
        "content": ERROR_BODY,
    },
}


class OpenDataAPI(NinjaAPI):
    """Names operations by their function ("frameworks"), and documents what every answer may be:
    304 to a current ETag, 400 for a bad parameter, 429 over the limit, the RateLimit headers."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                for parameter in operation.get("parameters", []):
                    # ninja copies JSON Schema's list of examples onto the parameter, where OpenAPI wants a map.
                    if isinstance(parameter.get("examples"), list):
                        parameter["examples"] = {str(v): {"value": v} for v in parameter["examples"]}
                responses = operation["responses"]
                for status, response in COMMON_RESPONSES.items():
                    if int(status) not in responses and status not in responses:
                        responses[status] = response
                for status in (200, "200"):
                    if status in responses:
                        responses[status].setdefault("headers", {}).update(RATE_HEADERS)
                        responses[status]["headers"]["ETag"] = {
                            "description": "Send it back in If-None-Match to get a 304 while unchanged.",
                            "schema": {"type": "string"},
                        }
        _drop_unused_components(schema)
        return schema


def _drop_unused_components(schema: dict) -> None:
    """Keep only the objects an answer can hold: ninja also lists the query parameters' own models."""
    components = schema.get("components", {}).get("schemas", {})
    used, todo = set(), [schema["paths"]]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/") and (name := ref.rsplit("/", 1)[1]) not in used:
                used.add(name)
                todo.append(components.get(name, {}))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    for name in set(components) - used:
        del components[name]


LIMIT = (
    f"Each address may make {settings.API_RATE_LIMIT} requests in any {settings.API_RATE_WINDOW} seconds "
    "(see the RateLimit-* headers); over that, 429 with Retry-After."
    if settings.API_RATE_LIMIT
    else "There is no request limit on this server."
)

api = OpenDataAPI(
    title="compare_site open data",
    version="1",
    description=DESCRIPTION.replace("{limit}", LIMIT),
    urls_namespace="api",
    docs_url=None,  # our own page (api.docs): no script, under the site's strict CSP
    docs_decorator=public_page,  # the schema is cached and ETagged like any public page
)
api.add_router("", router)


def _field(loc) -> str:
    """The parameter a pydantic error is about: ("query", "page") → "page"."""
    names = [str(part) for part in loc[1:] if str(part) not in ("filters",)]
    return ".".join(names) or str(loc[-1])


@api.exception_handler(ValidationError)
def bad_parameters(request, exc: ValidationError):
    problems = [f"{_field(e['loc'])}: {e['msg']}" for e in exc.errors]
    return json_error(400, "Some parameters are not valid: " + "; ".join(problems) + ".", problems)


@api.exception_handler(ListingError)
def listing_error(request, exc: ListingError):
    return json_error(exc.status, exc.message)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    message = str(exc)
    if not message or message.startswith("No ") and "matches the given query" in message:
        message = "Nothing published has that slug."
    return json_error(404, message)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return json_error(exc.status_code, str(exc))


urlpatterns = [
    path("", docs.index, name="api-index"),
    path("docs/", docs.reference, name="api-docs"),
    path("", api.urls),
]
