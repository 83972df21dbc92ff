"""Site-wide reader endpoints: robots.txt, and conditional GET for feeds and the sitemap."""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.http import require_GET

# An ETag from the body (and the feed's own Last-Modified): a repeat request
# with If-None-Match or If-Modified-Since gets 304 Not Modified.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
