from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Guides"

    def ready(self) -> None:
        from pagecache import schedule

        from .models import Article

        # A guide scheduled for later goes live on its own: cached pages must turn over then.
        schedule.register(Article, Article.objects.next_publish_at)
