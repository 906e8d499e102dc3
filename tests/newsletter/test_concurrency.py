"""Many signups of one address at the same moment: one row, and every request answered."""

import threading

import pytest
from django.db import connection
from django.test import Client

from newsletter.models import Subscriber
from tests.newsletter.helpers import signup_data


@pytest.mark.django_db(transaction=True)
def test_twenty_signups_of_one_address_from_five_threads_give_one_row_and_no_error(
    settings, mailoutbox
):
    settings.RATE_LIMITS = False
    addresses = ["anna@example.de", "Anna@example.de", "ANNA@EXAMPLE.DE", "anna@Example.de"]
    statuses, errors = [], []
    start = threading.Barrier(5)

    def signup_four_times(thread: int):
        client = Client()
        try:
            start.wait()
            for n in range(4):
                email = addresses[(thread + n) % len(addresses)]
                response = client.post("/gratis-guide/", signup_data(email=email))
                statuses.append(response.status_code)
        except Exception as error:  # a 500 raises in the test client
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=signup_four_times, args=(t,)) for t in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * 20
    assert Subscriber.objects.count() == 1
    # One confirmation e-mail, not twenty: the others came within the resend interval.
    assert len(mailoutbox) == 1
