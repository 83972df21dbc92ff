"""A guide's social card: what its link preview shows (``frameworks.social``), for the guide's page and card."""

from collections.abc import Sequence

from django.urls import reverse

from frameworks.models import Framework
from frameworks.selectors import Board
from frameworks.social import SocialCard, social_card

from .models import Article


def guide_card(article: Article, frameworks: Sequence[Framework], board: Board) -> SocialCard:
    """``frameworks`` in the guide's order; ``board`` holds at least their current figures."""
    return social_card(
        kind="Guide",
        title=article.title,
        path=reverse("cards:guide", kwargs={"slug": article.slug}),
        board=board,
        frameworks=frameworks,
    )
