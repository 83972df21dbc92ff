"""Production security: headers, cookies, hashers, hosts, admin address and login throttling."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def production_env(**extra) -> dict:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never has it.
    test_only = {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        SECRET_KEY="prod-" + "k3y-" * 14 + "x9Z!",
        DEBUG="false",
        ALLOWED_HOSTS="compare.example.org",
        ADMIN_URL="editors-4f2c/",
    )
    env.update(extra)
    return env


def csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def secure_get(client, seeded):
    def get(path="/", **kw):
        return client.get(path, secure=True, **kw)

    return get


def test_deploy_checks_pass_in_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_refuse_the_default_admin_address():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(ADMIN_URL="admin/"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "compare_site.W001" in result.stdout + result.stderr


@pytest.mark.parametrize("path", ["/", "/guides/flask-vs-django/", "/frameworks/", "/frameworks/django/"])
def test_public_pages_send_every_security_header(secure_get, path):
    response = secure_get(path)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # no nonce on public pages: one policy for cached pages
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for directive, values in policy.items():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, directive
    assert response["X-Frame-Options"] == "DENY"
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_public_pages_carry_no_inline_script_or_style(secure_get):
    html = secure_get("/guides/flask-vs-django/").content.decode()
    for match in re.finditer(r"<script\b([^>]*)>", html):
        attrs = match.group(1)
        assert "src=" in attrs or 'type="application/ld+json"' in attrs, match.group(0)
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_admin_pages_are_under_the_same_policy(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:frameworks_framework_add"), secure=True)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert response["X-Frame-Options"] == "DENY"


def test_https_is_enforced_and_the_proxy_header_trusted(client, settings, seeded):
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    proxied = client.get("/", headers={"x-forwarded-proto": "https"})
    assert proxied.status_code == 200
    assert proxied.wsgi_request.is_secure()
    assert "Strict-Transport-Security" in proxied


def test_cookies_are_secure_httponly_and_samesite(client):
    login_url = reverse("admin:login")
    response = client.get(login_url, secure=True)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    response = client.post(login_url, {"username": "boss", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_argon2_hashes_passwords(settings):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = get_user_model().objects.create_user("writer", password=PASSWORD)
    assert user.password.startswith("argon2$")


def test_forged_host_header_answers_400(client, seeded):
    response = client.get("/", HTTP_HOST="evil.example.com", secure=True)
    assert response.status_code == 400


def test_no_default_account_in_production():
    assert not get_user_model().objects.exists()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("local_admin")
    assert not get_user_model().objects.exists()


@pytest.fixture
def admin_elsewhere(settings):
    import compare_site.urls

    settings.ADMIN_URL = "editors-4f2c/"
    importlib.reload(compare_site.urls)
    clear_url_caches()
    yield "/editors-4f2c/"
    settings.ADMIN_URL = "admin/"
    importlib.reload(compare_site.urls)
    clear_url_caches()


def test_admin_lives_only_at_admin_url(client, admin_elsewhere):
    assert client.get("/admin/", secure=True).status_code == 404
    assert client.get("/admin/login/", secure=True).status_code == 404
    response = client.get(admin_elsewhere, secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith(admin_elsewhere + "login/")


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, settings, superuser):
    login_url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": "root", "password": "wrong"}, secure=True)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = client.post(login_url, {"username": "root", "password": "wrong"}, secure=True)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the lock holds.
    response = client.post(login_url, {"username": "root", "password": PASSWORD}, secure=True)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_every_environment_variable_is_documented():
    code = (BASE_DIR / "compare_site" / "settings.py").read_text() + (
        BASE_DIR / "compare_site" / "gunicorn.conf.py"
    ).read_text()
    names = set(re.findall(r"env\.\w+\(\s*\"([A-Z_]+)\"", code)) | set(
        re.findall(r"environ\.get\(\s*[\"']([A-Z_]+)[\"']", code)
    )
    assert {"SECRET_KEY", "DATABASE_URL", "SECURE_SSL_REDIRECT", "WEB_CONCURRENCY"} <= names
    readme = (BASE_DIR / "README.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    assert [n for n in sorted(names) if n not in readme] == []
    assert [n for n in sorted(names) if n not in example] == []


def test_request_less_logins_still_work(client, superuser):
    """The test client's login() (no request) is not refused by the throttle."""
    assert client.login(username="root", password=PASSWORD)
    assert client.get(reverse("admin:index"), secure=True).status_code == 200


def test_lockouts_follow_the_client_address_the_proxy_reports(client, settings, superuser):
    login_url = reverse("admin:login")
    attacker = {"x-forwarded-for": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": "root", "password": "wrong"}, secure=True, headers=attacker)
    assert client.post(login_url, {"username": "root", "password": "wrong"}, secure=True,
                       headers=attacker).status_code == 429
    # The editor, behind the same proxy but at another address, still gets in.
    editor = {"x-forwarded-for": "spoofed-by-client, 198.51.100.7"}
    response = client.post(login_url, {"username": "root", "password": PASSWORD}, secure=True, headers=editor)
    assert response.status_code == 302
