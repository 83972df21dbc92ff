"""Structured data for search engines: a guide as schema.org JSON-LD."""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# Characters that could end the <script> element or start markup inside it.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def guide_jsonld(article, request, *, frameworks=(), figures_as_of=None) -> SafeString:
    """The guide as a schema.org TechArticle, safe to place in <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "TechArticle",
        "headline": article.title,
        "description": article.summary or article.standfirst,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.last_changed.isoformat(),
        "author": {
            "@type": "Person" if article.byline else "Organization",
            "name": article.byline or settings.SITE_NAME,
        },
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "articleSection": [c.name for c in article.categories.all()],
        "about": [
            {"@type": "SoftwareApplication", "name": fw.name, "url": request.build_absolute_uri(fw.get_absolute_url())}
            for fw in frameworks
        ],
    }
    if figures_as_of:
        data["temporalCoverage"] = figures_as_of.isoformat()
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))
