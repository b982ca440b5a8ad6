import contextlib
import hashlib
import os
import socket

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from reports import pdf


@pytest.fixture(scope="session", autouse=True)
def local_cache():
    """Tests pin the queries the code runs, not the cache back end's: without REDIS_URL they use
    a local-memory cache rather than the database's cache table, whose own queries are pinned in
    tests/reports/test_report_cache.py. With REDIS_URL they use Redis: give them a database of
    their own (redis://127.0.0.1:6379/15), as every test starts by emptying it."""
    if os.environ.get("REDIS_URL"):
        yield
        return
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=local):
        yield


@pytest.fixture(autouse=True)
def empty_cache(local_cache):
    # Each test's rounds may have the ids and dates of another test's (rolled back): no test
    # may find another's cached figures.
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def pdf_rendered_once_per_html():
    """Many tests render a report whose HTML is another test's to the byte (the same fixtures,
    today's dates), at some 3 s each. The same HTML gives the same PDF but for its random file
    ID, so each process renders each HTML once and gives the same bytes after; a test that
    brings its own fetcher (to see what the renderer asks for) always renders."""
    original = pdf.pdf_from_html
    rendered: dict[bytes, bytes] = {}

    def once(html: str, fetcher=None) -> bytes:
        if fetcher is not None:
            return original(html, fetcher)
        key = hashlib.sha256(html.encode()).digest()
        if key not in rendered:
            rendered[key] = original(html)
        return rendered[key]

    pdf.pdf_from_html = once
    yield
    pdf.pdf_from_html = original


@pytest.fixture(scope="module")
def kept_for_the_module(django_db_setup, django_db_blocker):
    """For data that a module's tests read and that takes seconds to make (a report round of
    hundreds of answers): a module-scoped fixture makes it once, inside `with
    kept_for_the_module():`, and yields. It is made in a transaction kept open until that
    fixture is torn down (after the module's last test, or when its parameter changes), then
    rolled back; each test's own transaction is a savepoint within it, rolled back as ever, so
    what a test writes is gone before the next. Module fixtures yield primary keys: each test
    reads its own objects (`fresh`), so no test sees another's changes to one in memory.
    Not for tests of the live server (transactional: they empty every table)."""

    @contextlib.contextmanager
    def kept():
        with django_db_blocker.unblock(), transaction.atomic():
            yield
            transaction.set_rollback(True)

    return kept


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create and sign in many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def principles(db):
    """The framework's principles, statements, scale and bands, as `make run` loads them."""
    call_command("load_principles", verbosity=0)
    from principles.models import Principle

    return list(Principle.objects.all())


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("site-admin", "admin@example.org", "pw-x9!k2")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# Personas: a coordinator and their partnership, a reader of its reports, a coordinator of
# another partnership, a respondent (an invited member with a link), and an anonymous visitor
# (the plain `client`).


@pytest.fixture
def coordinator(db):
    from tests.factories import make_user

    return make_user("coordinator")


@pytest.fixture
def partnership(coordinator):
    from tests.factories import make_partnership

    return make_partnership(coordinator, name="Riverside Partnership", slug="riverside")


@pytest.fixture
def other_coordinator(db):
    from tests.factories import make_partnership, make_user

    user = make_user("other-coordinator")
    make_partnership(user, name="Hillside Partnership", slug="hillside")
    return user


@pytest.fixture
def reader(partnership):
    """On the partnership's team to read its reports only (its chair, say)."""
    from tests.factories import make_user

    user = make_user("reader", first_name="Rosa", last_name="Reed")
    partnership.readers.add(user)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def open_round(partnership, principles):
    from tests.factories import make_round

    return make_round(partnership, title="Autumn 2026")


@pytest.fixture
def respondent(open_round):
    """An invited member of the open round: (invitation, token of their personal link)."""
    from tests.factories import make_invitation

    return make_invitation(open_round)


class SMTPRecorder:
    """An aiosmtpd handler: keeps what it accepts, refuses chosen recipients with a 550."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"

    def refuse(self, address: str) -> None:
        self.refused.add(address.lower())

    def messages_to(self, address: str) -> list[str]:
        import email
        import email.policy

        texts = []
        for recipients, raw in self.messages:
            if address in recipients:
                message = email.message_from_string(raw, policy=email.policy.default)
                texts.append(message.get_body(preferencelist=("plain",)).get_content())
        return texts


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and the service set to send through it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = SMTPRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    yield handler
    controller.stop()
