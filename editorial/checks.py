"""Deploy checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_admin_url(app_configs, **kwargs):
    """The admin must not sit at the address every scanner tries first."""
    if settings.ADMIN_URL.strip("/") in {"admin", "administration", "wp-admin", ""}:
        return [
            Warning(
                "The admin is at the default /admin/ address.",
                hint="Set ADMIN_URL to an address of your own, e.g. 'editors-7f3a/'.",
                id="compare_site.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secure_cookies(app_configs, **kwargs):
    if not settings.DEBUG and not settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [
            Warning(
                "Nothing makes requests HTTPS: SECURE_SSL_REDIRECT is off and no TLS proxy header is trusted.",
                hint="Serve behind a TLS proxy that sets X-Forwarded-Proto, or set SECURE_SSL_REDIRECT=true.",
                id="compare_site.W002",
            )
        ]
    return []
