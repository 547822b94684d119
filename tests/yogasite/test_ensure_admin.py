import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def ensure_admin() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return re.search(r"Password: (\S+)", output).group(1)


@pytest.mark.django_db
def test_first_run_creates_a_superuser_and_prints_how_to_log_in():
    output = ensure_admin()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(printed_password(output))
    assert "http://127.0.0.1:8000/admin/" in output
    assert "Username: admin" in output


@pytest.mark.django_db
def test_each_new_database_gets_its_own_generated_password():
    first = printed_password(ensure_admin())
    get_user_model().objects.all().delete()
    second = printed_password(ensure_admin())

    assert first != second
    assert len(second) >= 16


@pytest.mark.django_db
def test_later_runs_keep_the_password_and_say_how_to_reset_it():
    password = printed_password(ensure_admin())

    output = ensure_admin()

    assert "Password:" not in output
    assert "manage.py changepassword admin" in output
    assert get_user_model().objects.get(username="admin").check_password(password)
