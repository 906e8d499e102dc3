"""Whatever a visitor types into an address bar or a form, the answer is never a 500."""

import pytest

from core.params import positive_int
from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.comments.factories import CommentFactory
from tests.newsletter.factories import IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE blog_article; --",
    "%",
    "_",
    "\\",
    "ü" * 3000,
    "-1",
    "0",
    "99999999999999999999",
    "1e9",
    " ",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    # Digits that str.isdigit() or int() take although they are no ASCII digits.
    "²",
    "١٢",
    "１２",
    "1_0",
    "9" * 5000,
]


@pytest.fixture
def site_content():
    category = CategoryFactory(slug="ruecken")
    tag = TagFactory(slug="nacken")
    article = ArticleFactory(slug="mein-artikel", category=category, tags=[tag])
    return article


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/", "page"),
        ("/suche/", "q"),
        ("/suche/", "page"),
        ("/blog/kategorie/ruecken/", "page"),
        ("/blog/tag/nacken/", "page"),
        ("/blog/mein-artikel/", "antwort"),
        ("/blog/mein-artikel/", "kommentare"),
        ("/newsletter/", "email"),
    ],
)
def test_odd_query_strings_never_cause_a_server_error(client, site_content, path, parameter, value):
    response = client.get(path, {parameter: value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "ü" * 6000, "<b>fett</b>"])
def test_odd_comment_fields_get_an_answer_not_a_server_error(client, site_content, value):
    for field in ("name", "email", "url", "body", "parent"):
        data = {"name": "Eva", "email": "eva@example.org", "url": "", "body": "Danke!"}
        data[field] = value
        response = client.post("/blog/mein-artikel/kommentieren/", data)
        assert response.status_code < 500, field


@pytest.mark.parametrize("value", ["\x00", "a\x00b@example.org", "ü" * 6000, "a@b"])
@pytest.mark.parametrize("path", ["/newsletter/", "/gratis-guide/"])
def test_odd_signup_fields_get_an_answer_not_a_server_error(client, path, value):
    for field in ("email", "first_name", "consent"):
        data = {"email": "eva@example.org", "first_name": "Eva", "consent": "on", field: value}
        response = client.post(path, data)
        assert response.status_code < 500, field


@pytest.mark.parametrize(
    "path",
    [
        "/blog/archiv/0/",
        "/blog/archiv/99999999999999999999/",
        "/blog/%00/",
        "/newsletter/bestaetigen/%00/",
        "/newsletter/abmelden/x" + "y" * 3000 + "/",
        "/gratis-guide/download/kaputt/",
        "/kommentare/moderieren/kaputt/",
    ],
)
def test_odd_paths_never_cause_a_server_error(client, site_content, path):
    assert client.get(path).status_code < 500


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), ("0", 0), ("007", 7), ("9" * 18, int("9" * 18))]
    + [
        (raw, None)
        for raw in ["", " 7", "7 ", "+7", "-7", "1_0", "²", "١٢", "１２", "7.0", "9" * 19, None]
    ],
)
def test_a_number_from_a_request_is_ascii_digits_of_bounded_length(raw, expected):
    assert positive_int(raw) == expected


@pytest.mark.parametrize("value", ["١", "１", "1_0", "+1", "²"])
def test_a_list_page_number_in_other_digits_is_no_page(client, value):
    ArticleFactory.create_batch(11)

    assert client.get("/", {"page": value}).status_code == 404
    assert client.get("/", {"page": "2"}).status_code == 200
    assert client.get("/", {"page": ""}).status_code == 200


def test_a_comment_page_number_in_other_digits_shows_the_first_page(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory(slug="mein-artikel")
    first, second = CommentFactory(article=article), CommentFactory(article=article)

    arabic = client.get("/blog/mein-artikel/", {"kommentare": "٢"}).content.decode()
    ascii_digits = client.get("/blog/mein-artikel/", {"kommentare": "2"}).content.decode()

    assert f"kommentar-{first.pk}" in arabic and f"kommentar-{second.pk}" not in arabic
    assert f"kommentar-{second.pk}" in ascii_digits


# -- the admin: Django answers some numbers in filters and selections with a 500 -----------------

ADMIN_LISTS = [
    "/admin/blog/article/",
    "/admin/comments/comment/",
    "/admin/newsletter/subscriber/",
    "/admin/newsletter/issue/",
    "/admin/newsletter/delivery/",
    "/admin/newsletter/guide/",
    "/admin/auth/user/",
]


@pytest.mark.parametrize("path", ADMIN_LISTS)
@pytest.mark.parametrize(
    "parameter",
    ["created_at__year", "published_at__year", "signed_up_at__year", "date_joined__year"],
)
@pytest.mark.parametrize("value", ["-5", "0", "99999", "9" * 30, "²", "2025,-5"])
def test_an_impossible_year_in_an_admin_filter_shows_the_unfiltered_list(
    admin_client, path, parameter, value
):
    response = admin_client.get(path, {parameter: value})

    assert response.status_code == 302
    assert response["Location"] == f"{path}?e=1"
    assert admin_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/comments/comment/", {"created_at__year": "2025", "created_at__month": "9" * 30}),
        ("/admin/comments/comment/", {"created_at__year": "2025", "created_at__day": "-1"}),
        ("/admin/blog/article/", {"published_at__year": "2025", "published_at__month": "13"}),
        ("/admin/newsletter/delivery/", {"issue__id__exact": "9" * 30}),
        ("/admin/newsletter/delivery/", {"issue__id__exact": "²"}),
        ("/admin/blog/article/", {"p": "²"}),
        ("/admin/blog/article/", {"o": "9" * 5000}),
    ],
)
def test_odd_numbers_in_admin_filters_never_cause_a_server_error(admin_client, path, query):
    assert admin_client.get(path, query).status_code in {200, 302}


def test_a_sensible_year_in_an_admin_filter_still_filters(admin_client):
    ArticleFactory(title="Alt", published_at="2019-05-01T10:00:00+02:00")
    ArticleFactory(title="Neu", published_at="2025-05-01T10:00:00+02:00")

    response = admin_client.get("/admin/blog/article/", {"published_at__year": "2025"})

    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == ["Neu"]


@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 30, "\x00", "1.5"])
@pytest.mark.parametrize(
    ("path", "action", "factory"),
    [
        ("/admin/comments/comment/", "approve", CommentFactory),
        ("/admin/newsletter/subscriber/", "export_personal_data", SubscriberFactory),
        ("/admin/newsletter/subscriber/", "erase_personal_data", SubscriberFactory),
        ("/admin/blog/article/", "delete_selected", ArticleFactory),
        ("/admin/newsletter/issue/", "send", IssueFactory),
    ],
)
def test_a_selected_row_that_cannot_be_an_id_is_left_out_of_a_bulk_action(
    admin_client, path, action, factory, value
):
    factory()

    response = admin_client.post(
        path, {"action": action, "index": "0", "_selected_action": [value]}
    )

    assert response.status_code == 302  # Django's "no items selected", back to the list
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("ausgewählt" in m for m in messages), messages


def test_the_usable_rows_of_a_selection_are_still_acted_on(admin_client):
    comment = CommentFactory(status="pending")

    admin_client.post(
        "/admin/comments/comment/",
        {"action": "approve", "index": "0", "_selected_action": ["abc", str(comment.pk), "9" * 30]},
    )

    comment.refresh_from_db()
    assert comment.status == "approved"
