"""What an editor may type as a framework's identifier at each source.

Pure functions for model and form validation: each validator returns None or
raises ``django.core.exceptions.ValidationError`` with a message saying what
is allowed. They check the value exactly as given (strip it first if the
field does not), and sources call them too before building any URL.
"""

from __future__ import annotations

import re
import urllib.parse

from django.core.exceptions import ValidationError

# GitHub: an owner (user or organisation) is letters, digits and hyphens, not
# starting with a hyphen, at most 39 characters (a few old accounts have
# double or trailing hyphens, so those are let through); a repository name is
# letters, digits, '.', '_' and '-', at most 100 characters.
GITHUB_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
GITHUB_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
# PEP 508 / the core metadata "Name" field.
PYPI_PACKAGE = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)
PYPI_PACKAGE_MAX = 200
STACKOVERFLOW_TAG = re.compile(r"[a-z0-9+#.-]{1,35}")
GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})


def validate_github_repo(value: str) -> None:
    """``owner/name``, e.g. ``pallets/flask``."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise ValidationError(
            "Enter a GitHub repository as owner/name, e.g. pallets/flask.",
            code="github_repo_format",
        )
    owner, name = value.split("/")
    if not GITHUB_OWNER.fullmatch(owner):
        raise ValidationError(
            "A GitHub owner is 1 to 39 letters, digits or hyphens, not starting with a hyphen (got %(owner)s).",
            code="github_owner",
            params={"owner": repr(owner)},
        )
    if not GITHUB_NAME.fullmatch(name) or name in (".", ".."):
        raise ValidationError(
            "A GitHub repository name is 1 to 100 letters, digits, '.', '_' or '-' (got %(name)s).",
            code="github_name",
            params={"name": repr(name)},
        )
    if name.lower().endswith(".git"):
        raise ValidationError(
            "Leave “.git” off the repository name: %(suggestion)s.",
            code="github_name_git",
            params={"suggestion": f"{owner}/{name[:-4]}"},
        )


def github_repo_from_url(url: str) -> str | None:
    """``owner/name`` from a GitHub URL, or None if it is not one.

    Takes https://github.com/pallets/flask, with or without ``.git``, a
    trailing slash or more path (``/tree/main``), a query or a fragment; also
    ``git@github.com:pallets/flask.git``.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if url.startswith("git@github.com:"):
        path = url.removeprefix("git@github.com:")
    else:
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in GITHUB_HOSTS:
            return None
        if parts.port not in (None, 80, 443) or parts.username or parts.password:
            return None
        path = parts.path
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) < 2:
        return None
    owner, name = segments[0], segments[1].removesuffix(".git")
    candidate = f"{owner}/{name}"
    try:
        validate_github_repo(candidate)
    except ValidationError:
        return None
    return candidate


def validate_pypi_package(value: str) -> None:
    """A distribution name as PEP 508 allows, e.g. ``Flask`` or ``django-rest-framework``."""
    if not isinstance(value, str) or len(value) > PYPI_PACKAGE_MAX or not PYPI_PACKAGE.fullmatch(value):
        raise ValidationError(
            "A PyPI package name is letters, digits, '.', '_' and '-', starting and ending with a letter "
            "or digit, e.g. flask or django-rest-framework (got %(value)s).",
            code="pypi_package",
            params={"value": repr(value)[:60]},
        )


def validate_stackoverflow_tag(value: str) -> None:
    """A Stack Overflow tag, e.g. ``flask`` or ``c#``: lowercase, at most 35 characters."""
    if not isinstance(value, str) or not value:
        raise ValidationError("Enter a Stack Overflow tag, e.g. flask.", code="stackoverflow_tag")
    if STACKOVERFLOW_TAG.fullmatch(value):
        return
    if len(value) > 35:
        raise ValidationError(
            "A Stack Overflow tag is at most 35 characters (this one has %(length)d).",
            code="stackoverflow_tag_length",
            params={"length": len(value)},
        )
    if STACKOVERFLOW_TAG.fullmatch(value.lower()):
        raise ValidationError(
            "Stack Overflow tags are lowercase: %(suggestion)s.",
            code="stackoverflow_tag_case",
            params={"suggestion": value.lower()},
        )
    raise ValidationError(
        "A Stack Overflow tag is lowercase letters, digits and + # . - only, with hyphens for spaces, "
        "e.g. flask or ruby-on-rails (got %(value)s).",
        code="stackoverflow_tag",
        params={"value": repr(value)[:60]},
    )
