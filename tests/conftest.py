import pytest
from django.core.management import call_command


@pytest.fixture
def principles(db):
    """The framework's principles, statements, scale and bands, as `make run` loads them."""
    call_command("load_principles", verbosity=0, stdout=open("/dev/null", "w"))
    from principles.models import Principle

    return list(Principle.objects.all())


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("site-admin", "admin@example.org", "pw-x9!k2")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
