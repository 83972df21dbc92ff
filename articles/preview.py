"""Signed, expiring preview links for guides that readers cannot see yet.

Staff share ``/guides/<slug>/preview/<token>/`` with a reviewer who has no
account. The token signs the guide's id with a timestamp; it stops working
after ``PREVIEW_LINK_MAX_AGE`` seconds, or if the guide's slug changes.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.preview"


def make_token(article) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{article.pk}:{article.slug}")


def preview_url(article) -> str:
    return reverse("articles:preview", kwargs={"slug": article.slug, "token": make_token(article)})


def article_id_from(token: str, slug: str) -> int | None:
    """The guide id a valid, unexpired token for ``slug`` names, else None."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    pk, _, signed_slug = value.partition(":")
    return int(pk) if signed_slug == slug and pk.isdigit() else None
