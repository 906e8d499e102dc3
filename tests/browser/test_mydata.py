"""My data in Chromium: ask for the link, open it from the e-mail, see the data, delete it."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from comments.models import Comment
from newsletter.models import Subscriber
from tests.browser.support import CSP_WATCH, csp_violations
from tests.comments.factories import CommentFactory
from tests.newsletter.factories import SubscriberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "lena.vogel@example.de"


def axe_problems(browser, url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected by evaluate(); only a context that bypasses the CSP lets it in.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    problems = [
        f"{urlsplit(url).path}: {violation['id']} {[n['target'] for n in violation['nodes']][:3]}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    context.close()
    return problems


def test_a_reader_asks_for_her_data_sees_it_and_deletes_it(site, browser, screenshot):
    SubscriberFactory(email=ADDRESS, first_name="Lena", confirmed=True, signed_up_at=timezone.now())
    comment = CommentFactory(email=ADDRESS, name="Lena V.", body="Die Übung mit der Rolle hilft!")
    mail.outbox.clear()
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    phone = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844}).new_page()
    problems: list[str] = []

    def look(name: str) -> None:
        """Screenshots at both widths, no sideways scrolling on the phone, and axe."""
        url = page.url
        screenshot(page, f"mydata-{name}-1280")
        phone.goto(url)  # a GET: it changes nothing, whatever the page
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
        screenshot(phone, f"mydata-{name}-390")
        problems.extend(axe_problems(browser, url))

    # The footer leads to the page.
    page.goto(f"{site.url}/")
    page.locator("footer").get_by_role("link", name="Meine Daten").click()
    page.wait_for_url(f"{site.url}/meine-daten/")
    look("01-form")

    page.fill("#id_email", "lena.vogel@")
    page.get_by_role("button", name="Schick mir den Link").click()
    assert "gültige E-Mail-Adresse" in page.locator(".invalid-feedback").first.inner_text()
    assert page.input_value("#id_email") == "lena.vogel@"
    look("02-bad-address")

    page.fill("#id_email", ADDRESS)
    page.get_by_role("button", name="Schick mir den Link").click()
    page.wait_for_url(f"{site.url}/meine-daten/gesendet/")
    assert "Wenn wir Daten zu dieser Adresse haben" in page.content()
    look("03-sent")

    [message] = mail.outbox
    link = re.search(r"https?://\S+/meine-daten/\S+/", message.body).group(0)
    page.goto(site.url + urlsplit(link).path)
    assert page.locator("h1").inner_text() == "Meine Daten"
    assert "Die Übung mit der Rolle hilft!" in page.content()
    assert "Newsletter und Gratis-Guide" in page.content()
    look("04-data")

    page.get_by_role("link", name="Meine Daten löschen").click()
    look("05-erase-confirm")
    page.get_by_role("button", name="Meine Daten endgültig löschen").click()
    assert "Häkchen" in page.content()  # nothing happens without the ticked box
    assert Subscriber.objects.exists()
    page.get_by_label("Ja, lösche alles").check()
    page.get_by_role("button", name="Meine Daten endgültig löschen").click()
    page.wait_for_url(re.compile(r".*/meine-daten/geloescht/.*"))
    assert "Deine Daten sind gelöscht" in page.locator("h1").inner_text()
    look("06-erased")

    assert not Subscriber.objects.exists()
    comment.refresh_from_db()
    assert comment.email == "" and comment.name == "Anonym"
    assert not Comment.objects.filter(email__iexact=ADDRESS).exists()
    assert csp_violations(page) == []
    assert problems == []
    phone.context.close()
    context.close()


def test_the_other_pages_of_my_data_fit_both_widths_and_pass_axe(site, browser, screenshot):
    """Download and unsubscribe (with their confirmations), an expired and a forged link."""
    from datetime import timedelta
    from unittest import mock

    from mydata.models import DataRequest
    from mydata.tokens import data_link_token

    SubscriberFactory(email=ADDRESS, confirmed=True)
    token = data_link_token(DataRequest.objects.create(email=ADDRESS))
    with mock.patch("time.time", return_value=(timezone.now() - timedelta(days=2)).timestamp()):
        old_token = data_link_token(DataRequest.objects.create(email=ADDRESS))
    problems: list[str] = []
    for width in (1280, 390):
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, path, status in [
            ("07-download", f"/meine-daten/{token}/herunterladen/", 200),
            ("08-unsubscribe", f"/meine-daten/{token}/abmelden/", 200),
            ("09-expired", f"/meine-daten/{old_token}/", 410),
            ("10-forged", "/meine-daten/erfunden/", 404),
        ]:
            response = page.goto(site.url + path)
            assert response.status == status, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            screenshot(page, f"mydata-{name}-{width}")
            if width == 1280:
                problems.extend(axe_problems(browser, site.url + path))
        if width == 1280:
            page.goto(f"{site.url}/meine-daten/{token}/herunterladen/")
            with page.expect_download() as download:
                page.get_by_role("button", name="Datei herunterladen").click()
            assert download.value.suggested_filename.startswith("meine-daten-")
            page.goto(f"{site.url}/meine-daten/{token}/abmelden/")
            page.get_by_role("button", name="Ja, melde mich von allem ab").click()
            page.wait_for_url(re.compile(r".*/abgemeldet/$"))
            assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
            problems.extend(axe_problems(browser, page.url))
        else:
            page.goto(f"{site.url}/meine-daten/{token}/abgemeldet/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"mydata-11-unsubscribed-{width}")
        assert csp_violations(page) == []
        context.close()
    assert problems == []


def test_the_author_chooses_what_erasing_does_to_comments_in_her_admin(site, browser, screenshot):
    from comments.models import CommentSettings
    from tests.browser.test_author_day import PASSWORD, ensure_author, log_in

    author = ensure_author()
    author.set_password(PASSWORD)
    author.save()
    problems: list[str] = []
    for width in (1280, 390):
        page = log_in(browser, site.url, width=width, bypass_csp=width == 1280)
        page.goto(f"{site.url}/admin/comments/commentsettings/add/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"mydata-12-admin-comment-settings-{width}")
        if width == 1280:
            from axe_playwright_python.sync_playwright import Axe

            problems += [
                f"{violation['id']} {[n['target'] for n in violation['nodes']][:3]}"
                for violation in Axe().run(page).response["violations"]
                if violation["impact"] in {"serious", "critical"}
            ]
            page.get_by_label("Die Kommentare löschen").check()
            page.get_by_role("button", name="Sichern", exact=True).click()
            page.wait_for_url(re.compile(r".*/admin/comments/commentsettings/$"))
            assert CommentSettings.deletes_on_erase()
        page.context.close()
    assert problems == []
