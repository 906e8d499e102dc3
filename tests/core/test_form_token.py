"""The token of public forms: bound to a page, spent once, remembered in the database."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from core.antispam import (
    TOKEN_SALT,
    form_token_age,
    form_token_fits,
    form_token_spend,
    form_token_spent,
    new_form_token,
    read_form_token,
)
from core.models import RateLimitCounter
from core.ratelimit import rate_limits_purge

pytestmark = pytest.mark.django_db

PAGE = "/blog/faszien-einfach-erklaert/"


def first_version(issued: float) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(f"{issued:.3f}")


def test_a_token_fits_the_page_it_was_issued_for_and_no_other():
    token = new_form_token(scope=PAGE)

    assert form_token_fits(token, scope=PAGE)
    assert not form_token_fits(token, scope="/blog/ruecken-im-buero/")
    assert not form_token_fits(token, scope="")
    assert not form_token_fits("garbage", scope=PAGE)


def test_a_path_fits_as_the_request_has_it_and_as_reverse_makes_it():
    token = new_form_token(scope="/blog/übungen-für-den-rücken/")

    assert form_token_fits(token, scope="/blog/%C3%BCbungen-f%C3%BCr-den-r%C3%BCcken/")


def test_the_page_cannot_be_changed_without_breaking_the_signature():
    token = new_form_token(scope=PAGE)
    other = new_form_token(scope="/blog/ruecken-im-buero/")
    payload, signature = token.rsplit(":", 1)
    issued, _scope, nonce = payload.split("~")
    forged = f"{issued}~{read_form_token(other).scope}~{nonce}:{signature}"

    assert read_form_token(forged) is None
    assert form_token_age(forged) is None


def test_tokens_issued_in_the_same_millisecond_are_different():
    assert new_form_token(scope=PAGE, now=1.0) != new_form_token(scope=PAGE, now=1.0)


def test_a_token_is_spent_once():
    token = new_form_token(scope=PAGE)

    assert not form_token_spent(token)
    assert form_token_spend(token)
    assert form_token_spent(token)
    assert not form_token_spend(token)
    assert not form_token_spent(new_form_token(scope=PAGE))


def test_garbage_is_never_spent():
    assert not form_token_spend("1700000000.000:gefälscht")
    assert not form_token_spent("")
    assert not RateLimitCounter.objects.exists()


def test_a_token_of_the_first_version_fits_any_page_reports_its_age_and_is_spent_once():
    token = first_version(timezone.now().timestamp() - 30)

    assert 29 < form_token_age(token) < 31
    assert form_token_fits(token, scope=PAGE)
    assert form_token_spend(token)
    assert not form_token_spend(token)


def test_the_age_is_read_from_both_versions_for_forms_that_check_only_the_age():
    now = timezone.now().timestamp()

    assert form_token_age(new_form_token(scope=PAGE, now=now - 30), now=now) == pytest.approx(
        30, abs=0.01
    )
    assert form_token_age(first_version(now - 30), now=now) == pytest.approx(30, abs=0.01)


def test_a_spent_token_is_remembered_while_it_is_valid_and_purged_a_day_later():
    now = timezone.now()
    token = new_form_token(scope=PAGE, now=now.timestamp())
    form_token_spend(token)

    rate_limits_purge(now=now + timedelta(hours=3))
    assert form_token_spent(token)

    rate_limits_purge(now=now + timedelta(days=1, minutes=1))
    assert not form_token_spent(token)


def test_spending_inside_a_transaction_that_fails_leaves_the_token_unspent():
    from django.db import transaction

    token = new_form_token(scope=PAGE)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert form_token_spend(token)
        raise RuntimeError("storing the comment failed")

    assert not form_token_spent(token)
    assert form_token_spend(token)


@pytest.mark.parametrize("now", [1796045391.1979, 1796045391.9996, 1796045391.0])
def test_a_token_read_at_the_moment_it_was_issued_is_never_from_the_future(now):
    # Issue times are kept to the millisecond; rounding up made a fresh token -0.1 ms old.
    token = new_form_token(scope=PAGE, now=now)

    assert 0 <= form_token_age(token, now=now) < 0.001
