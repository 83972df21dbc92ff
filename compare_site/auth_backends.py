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
