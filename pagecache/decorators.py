from functools import wraps

from .middleware import MAX_AGE_MARK, PUBLIC_MARK


def public_page(view=None, *, max_age: int = 0):
    """Mark a view whose response is the same for every reader.

    PageCacheMiddleware then stores its responses in the shared cache,
    serves them to readers until content changes, and gives them an ETag.
    Works on functions and on callable instances such as feeds:
    ``path("feeds/guides.rss", public_page(LatestGuidesFeed()), ...)``.

    Pages say ``max-age=0, must-revalidate``: a reader sees a change at once,
    and a revalidation costs a 304. ``@public_page(max_age=3600)`` lets
    browsers and proxies keep a response that long without asking, for
    things other sites fetch on every view of theirs, such as embeds.
    """
    if view is None:
        return lambda view: public_page(view, max_age=max_age)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, PUBLIC_MARK, True)
        setattr(response, MAX_AGE_MARK, max_age)
        return response

    return wrapped
