"""Create a local superuser on first run and print its password once.

ADMIN_PASSWORD sets the password instead of a generated one. When a superuser exists already
nothing changes: the password was printed when it was made (`manage.py changepassword` resets it).
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first superuser (admin) if there is none, printing how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))

    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Admin: sign in at /admin/ with the superuser printed on first run "
                "(reset its password with `.venv/bin/python manage.py changepassword admin`)."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: sign in at /admin/ as {username!r} with password {password!r} "
                "(shown this once)."
            )
        )
