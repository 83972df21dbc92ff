"""Every error under /api/ as JSON: ``{"status": 404, "message": "…", "errors": […]}``.

The API's own handlers word the message (a bad parameter, an unknown slug);
``jsonify`` turns whatever else answered with an error page (Django's 404
for an unknown path, 405 for a wrong method, a 500) into the same shape.
"""

from http import HTTPStatus

from django.http import HttpResponse, JsonResponse

MESSAGES = {
    400: "The request is not one this API understands.",
    404: "There is nothing at this address. The endpoints are listed at /api/v1/docs/.",
    405: "This API is read-only: use GET (or HEAD).",
    500: "Something went wrong on our side. It has been logged; please try again later.",
    503: "The API is unavailable for a moment. Please try again shortly.",
}
KEPT_HEADERS = ("Allow", "Retry-After")


def json_error(status: int, message: str = "", errors=()) -> JsonResponse:
    body = {
        "status": status,
        "message": message or MESSAGES.get(status) or HTTPStatus(status).phrase,
        "errors": list(errors),
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store" if status >= 500 or status == 429 else "no-cache"
    return response


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def jsonify(response):
    """``response`` itself if it is a success or already JSON, else the same error as JSON."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    replaced = json_error(response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            replaced[header] = response[header]
    return replaced
