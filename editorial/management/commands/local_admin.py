"""Give a newcomer a way into the admin when running the site locally.

Only in local mode (DEBUG on): creates the superuser "admin" with a random
password the first time, keeps the password in .local-admin-password (mode
0600, ignored by git), and prints the admin URL with the credentials. In
production it refuses, so no default account ever exists there.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Local mode only: ensure the 'admin' superuser exists and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin only runs with DEBUG on (make run). Use createsuperuser in production.")
        password_file = Path(settings.BASE_DIR) / ".local-admin-password"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        password = password_file.read_text().strip() if password_file.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(USERNAME, email="", password=password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")
        url = f"http://127.0.0.1:{port}/{settings.ADMIN_URL}"
        self.stdout.write(
            "\n"
            f"  Site:   http://127.0.0.1:{port}/\n"
            f"  Admin:  {url}\n"
            f"  Log in as '{USERNAME}' with password '{password}' (kept in .local-admin-password).\n"
        )
