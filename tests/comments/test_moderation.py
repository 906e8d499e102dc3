"""The moderation policy: word list to spam, many links held, known commenters (if switched on)."""

import pytest

from comments.moderation import ModerationPolicy, count_links, matching_spam_word
from comments.templatetags.comments_tags import comment_text
from tests.comments.factories import CommentFactory, SpamWordFactory

pytestmark = pytest.mark.django_db

PLAIN = {"name": "Maria", "email": "maria@example.org", "url": "", "ip": "192.0.2.1"}


def judge(body, **overrides):
    return ModerationPolicy().judge(**{**PLAIN, "body": body, **overrides})


def test_an_ordinary_comment_waits_for_approval():
    verdict = judge("Danke für den Artikel!")

    assert verdict.status == "pending"
    assert verdict.note == ""


def test_a_word_from_the_list_sends_the_comment_to_spam_whatever_its_case():
    SpamWordFactory(word="Casino")

    verdict = judge("Bestes CASINO der Stadt")

    assert verdict.status == "spam"
    assert "Casino" in verdict.note


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Casino König"),
        ("email", "win@casino.example"),
        ("url", "https://casino.example/"),
        ("ip", "203.0.113.9"),
    ],
)
def test_the_word_list_also_checks_name_address_website_and_ip(field, value):
    SpamWordFactory(word="casino")
    SpamWordFactory(word="203.0.113.9")

    assert judge("Ein harmloser Text.", **{field: value}).status == "spam"


def test_the_word_list_matches_whole_words_only():
    SpamWordFactory(word="cialis")

    assert judge("Meine Physiotherapeutin ist Specialist für Faszien.").status == "pending"


def test_a_phrase_on_the_list_matches_across_spacing():
    SpamWordFactory(word="kredit  ohne schufa")  # stored with single spaces

    assert judge("Jetzt Kredit ohne Schufa!").status == "spam"


def test_two_links_hold_a_comment_for_the_author_one_link_does_not_add_a_note():
    held = judge("Siehe https://a.example und www.b.example")
    one = judge("Siehe https://a.example")

    assert held.status == "pending"
    assert "2" in held.note
    assert one.note == ""


def test_known_commenters_are_not_approved_automatically_by_default():
    CommentFactory(email="maria@example.org", status="approved")

    assert judge("Noch eine Frage.").status == "pending"


def test_known_commenters_are_approved_automatically_when_switched_on(settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    CommentFactory(email="MARIA@example.org", status="approved")

    assert judge("Noch eine Frage.").status == "approved"
    assert judge("Noch eine Frage.", email="neu@example.org").status == "pending"


def test_auto_approval_never_overrides_the_link_hold_or_the_word_list(settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    CommentFactory(email="maria@example.org", status="approved")
    SpamWordFactory(word="viagra")

    assert judge("https://a.example https://b.example").status == "pending"
    assert judge("viagra").status == "spam"


def test_bare_domains_count_for_the_link_hold_as_the_page_links_them():
    held = judge("Bestes Spiel: casino.com und poker.net!")

    assert held.status == "pending"
    assert "2" in held.note
    html = comment_text("Bestes Spiel: casino.com und poker.net!")
    assert html.count("<a href=") == 2


def test_known_commenters_with_bare_domains_wait_for_the_author(settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    CommentFactory(email="maria@example.org", status="approved")

    assert judge("Schau mal: casino.com und www.poker.example").status == "pending"


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("casino.com", 1),
        ("Mehr unter CASINO.COM/bonus.", 1),
        ("http://a.example, https://b.example and www.c.example", 3),
        ("(siehe https://a.example/x?y=1)", 1),
        # Words the page does not link do not count either.
        ("Faszien.Training, 3.5 kg, z.B. Dr. Müller", 0),
        ("schreib an maria@example.com", 0),  # addresses stay plain text
        ("rueckenschule.de", 0),  # urlize links bare domains only on .com, .net, .org, ...
        ("ftp://files.example", 0),
        ("<a href='https://x.example'>klick</a>", 1),  # escaped markup; its URL is linked once
        ("", 0),
    ],
)
def test_the_link_hold_counts_exactly_what_the_page_shows_as_links(text, links):
    assert count_links(text) == links
    assert comment_text(text).count("<a href=") == links


def test_count_links_and_matching_spam_word_helpers():
    assert count_links("http://a.example, https://b.example and www.c.example") == 3
    assert matching_spam_word(["foo", "bar"], "no", "a bar here") == "bar"
    assert matching_spam_word(["foo"], "football") is None
