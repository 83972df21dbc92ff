from functools import wraps

from .middleware import PUBLIC_MARK


def public_page(view):
    """Mark a view whose response is the same for every reader.

    PageCacheMiddleware then stores its responses in the shared cache,
    serves them to readers until content changes, and gives them an ETag.
    Works on functions and on callable instances such as feeds:
    ``path("feeds/guides.rss", public_page(LatestGuidesFeed()), ...)``.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, PUBLIC_MARK, True)
        return response

    return wrapped
