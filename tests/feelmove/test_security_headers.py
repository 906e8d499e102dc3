"""Security headers on every response, and a fresh CSP nonce per request."""

import re

import pytest

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def test_public_pages_send_nosniff_referrer_policy_and_frame_deny(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_public_csp_forbids_plugins_base_tags_and_foreign_hosts(client):
    policy = csp(client.get("/"))
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["default-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-inline" not in policy["style-src"]
    assert "http" not in " ".join(policy.values())


def test_two_requests_get_two_different_nonces_that_match_their_script_tags(client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        match = re.search(r"'nonce-([^']+)'", csp(response)["script-src"])
        assert match, "script-src carries a nonce"
        nonce = match.group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_only_the_admin_gets_the_looser_policy_ckeditor_needs(admin_client):
    policy = csp(admin_client.get("/admin/"))
    # CKEditor 5 needs style="" attributes, nothing more: no inline <style> or <script>.
    assert policy["style-src-attr"] == "'unsafe-inline'"
    assert "unsafe-inline" not in policy["style-src"]
    assert "unsafe-inline" not in policy["script-src"]
    assert "style-src-attr" not in csp(admin_client.get("/"))
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"


def test_hsts_is_sent_for_a_year_when_debug_is_off(client, settings):
    # The values production mode sets (see test_settings for how DEBUG=0 selects them).
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/robots.txt", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/robots.txt")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_proxy_that_terminated_tls_is_believed(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
