"""One client address everywhere (PROXY_COUNT): rate limits, comment IPs and the admin lockout."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from core.ratelimit import client_ip

PROXY = "10.0.0.2"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_an_address_the_client_put_into_the_header_itself_is_never_chosen(settings):
    settings.PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 203.0.113.9"; nginx appended the address it saw.
    assert client_ip(request_from(PROXY, "203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_outer_proxys_entry_is_the_client(settings):
    settings.PROXY_COUNT = 2
    request = request_from(PROXY, "203.0.113.9, 198.51.100.7, 10.0.0.1")
    assert client_ip(request) == "198.51.100.7"


def test_with_fewer_entries_than_proxies_the_direct_peer_is_taken(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, "198.51.100.7")) == PROXY


def test_an_entry_that_is_no_address_falls_back_to_the_direct_peer(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "unknown")) == PROXY
    assert client_ip(request_from(PROXY, "<script>")) == PROXY


def test_an_entry_with_a_port_gives_the_address_alone(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "198.51.100.7:51234")) == "198.51.100.7"
    assert client_ip(request_from(PROXY, "[2001:db8::7]:51234")) == "2001:db8::7"


def test_the_admin_lockout_uses_the_same_client_address(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.ratelimit.client_ip"


def login(client, password: str, *, forwarded: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "jana", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_wrong_passwords_from_one_visitor_behind_the_proxy_do_not_lock_out_another(
    client, settings
):
    settings.PROXY_COUNT = 1
    get_user_model().objects.create_superuser("jana", "jana@example.com", "richtig-und-lang-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "falsch", forwarded="203.0.113.9")

    # The author, behind the same proxy, from her own address.
    response = login(client, "richtig-und-lang-42", forwarded="198.51.100.7")

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_the_locked_out_visitor_cannot_escape_by_forging_the_forwarded_header(client, settings):
    settings.PROXY_COUNT = 1
    get_user_model().objects.create_superuser("jana", "jana@example.com", "richtig-und-lang-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "falsch", forwarded="203.0.113.9")

    # She claims to be the author's address; the proxy still appends hers.
    response = login(client, "richtig-und-lang-42", forwarded="198.51.100.7, 203.0.113.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
