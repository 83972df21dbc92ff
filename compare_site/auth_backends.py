"""Login throttling that does not break request-less authentication."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes for every login that arrives with a request (the admin's, any login view).

    ``authenticate()`` without a request (the test client's ``login()``, a
    management command) cannot be tied to a client address: it is passed on
    to the next backend unthrottled instead of raising, as axes would.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request) -> str | None:
    """The address django-axes locks: the client's, not the TLS proxy's.

    Behind the proxy every request comes from the proxy's address, so locking
    by REMOTE_ADDR would let anyone lock an editor out by failing five times.
    The proxy appends the address it saw to X-Forwarded-For; only that last
    entry is trusted (earlier ones are whatever the client sent).
    """
    from django.conf import settings

    if settings.TRUST_X_FORWARDED_FOR:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
