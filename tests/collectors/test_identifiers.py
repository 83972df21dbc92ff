"""The identifier validators model forms use: good values pass, bad ones say what is allowed."""

import pytest
from django.core.exceptions import ValidationError

from frameworks.collectors.identifiers import (
    github_repo_from_url,
    validate_github_repo,
    validate_pypi_package,
    validate_stackoverflow_tag,
)


def message(validator, value) -> str:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return " ".join(raised.value.messages)


@pytest.mark.parametrize(
    "value", ["pallets/flask", "django/django", "a/b", "encode/django-rest-framework", "o/.github", "x" * 39 + "/r"]
)
def test_good_github_repos(value):
    validate_github_repo(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("flask", "owner/name"),
        ("pallets/flask/tree", "owner/name"),
        ("", "owner/name"),
        ("/flask", "GitHub owner"),
        ("-pallets/flask", "GitHub owner"),
        ("x" * 40 + "/flask", "1 to 39"),
        ("pal lets/flask", "GitHub owner"),
        ("pallets/", "repository name"),
        ("pallets/fl ask", "repository name"),
        ("pallets/..", "repository name"),
        ("pallets/" + "x" * 101, "1 to 100"),
        ("pallets/flask\n", "repository name"),
        ("pallets/flask.git", "pallets/flask"),
    ],
)
def test_bad_github_repos(value, says):
    assert says in message(validate_github_repo, value)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/pallets/flask",
        "https://github.com/pallets/flask/",
        "https://github.com/pallets/flask.git",
        "http://www.github.com/pallets/flask/tree/main/src?x=1#readme",
        "https://GitHub.com/pallets/flask#readme",
        "git@github.com:pallets/flask.git",
        "  https://github.com/pallets/flask  ",
    ],
)
def test_github_repo_from_url(url):
    assert github_repo_from_url(url) == "pallets/flask"


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/pallets/flask",
        "https://github.com/pallets",
        "https://github.com/",
        "https://github.com.evil.example/pallets/flask",
        "https://user:pass@github.com/pallets/flask",
        "javascript:alert(1)//github.com/pallets/flask",
        "https://github.com/-bad/flask",
        "not a url",
        "",
    ],
)
def test_not_github_repo_urls(url):
    assert github_repo_from_url(url) is None


@pytest.mark.parametrize("value", ["flask", "Flask", "django-rest-framework", "zope.interface", "a", "Flask_Login", "3b"])
def test_good_pypi_packages(value):
    validate_pypi_package(value)


@pytest.mark.parametrize("value", ["", "-flask", "flask-", "fla sk", "flask\n", "flask/../x", "flask!", "x" * 201])
def test_bad_pypi_packages(value):
    assert "PyPI package name" in message(validate_pypi_package, value)


@pytest.mark.parametrize("value", ["flask", "c#", "c++", ".net", "ruby-on-rails", "asp.net-core", "x" * 35])
def test_good_stackoverflow_tags(value):
    validate_stackoverflow_tag(value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "Enter a Stack Overflow tag"),
        ("Flask", "lowercase: flask"),
        ("ruby on rails", "hyphens for spaces"),
        ("flask/../x", "lowercase letters, digits"),
        ("flask\n", "lowercase letters, digits"),
        ("x" * 36, "at most 35 characters (this one has 36)"),
    ],
)
def test_bad_stackoverflow_tags(value, says):
    assert says in message(validate_stackoverflow_tag, value)
