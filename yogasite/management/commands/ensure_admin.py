import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Creates a local superuser with a generated password the first time it runs and prints how to log in; "
        "later runs leave the account alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, username: str, site: str, **options):
        User = get_user_model()
        login_url = site.rstrip("/") + reverse("admin:index")
        reset = f".venv/bin/python manage.py changepassword {username}"
        if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            self.stdout.write(
                f"Admin account '{username}' already exists. Log in at {login_url}\n"
                f"Forgot the password? Set a new one with: {reset}"
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS("Created an admin account. This password is shown only once:")
            + f"\n  URL:      {login_url}"
            + f"\n  Username: {username}"
            + f"\n  Password: {password}"
            + f"\nTo change it later: {reset}"
        )
