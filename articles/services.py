"""Writes to guides that editors trigger from the admin."""

from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def publish(articles) -> tuple[int, int]:
    """Mark guides published. A guide whose publish time is still ahead stays scheduled.

    Returns (published now, scheduled for later).
    """
    now = timezone.now()
    live = scheduled = 0
    for article in articles.select_for_update():
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        if article.publish_at <= now:
            live += 1
        else:
            scheduled += 1
    return live, scheduled


@transaction.atomic
def unpublish(articles) -> int:
    """Take guides back to draft; readers stop seeing them at once."""
    count = 0
    for article in articles.select_for_update():
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        count += 1
    return count
