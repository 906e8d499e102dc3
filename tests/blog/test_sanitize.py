"""Article HTML is sanitised: what the editor produces survives, anything active is removed."""

import pytest

from blog.sanitize import clean_html

EDITOR_OUTPUT = (
    "<h2>Warum der Rücken zwickt</h2>"
    "<p>Ein <strong>wichtiger</strong> und <i>kursiver</i> Satz mit "
    '<a href="/blog/faszien-einfach-erklaert/">einem Link</a>.</p>'
    "<h3>Drei Übungen</h3>"
    "<ul><li>Katze-Kuh</li><li>Kindhaltung</li></ul>"
    "<ol><li>Atmen</li><li>Dehnen</li></ol>"
    "<h4>Kleine Überschrift</h4>"
    "<blockquote><p>Bewegung ist die beste Medizin.</p></blockquote>"
    '<figure class="image"><img src="/media/uploads/2026/01/abc.jpg" alt="Eine Faszienrolle" '
    'width="1200" height="800"><figcaption>Die Rolle · Foto: Anna Muster, CC BY 3.0'
    "</figcaption></figure>"
    '<p>Zum Ausdrucken: <a href="/media/uploads/2026/01/plan.pdf">Übungsplan (PDF)</a></p>'
    '<p><a href="https://www.example.org/studie" target="_blank" rel="noopener">Studie</a> '
    'und <a href="mailto:hallo@feelmove.de">E-Mail</a></p>'
    "<hr><p>Zeile<br>Umbruch</p>"
)


def test_everything_the_editor_produces_survives_unchanged():
    assert clean_html(EDITOR_OUTPUT) == EDITOR_OUTPUT


def test_script_elements_are_removed_with_their_content():
    cleaned = clean_html("<p>Hallo</p><script>alert('x')</script><SCRIPT src=/x.js></SCRIPT>")
    assert cleaned == "<p>Hallo</p>"


@pytest.mark.parametrize(
    "html",
    [
        '<p onclick="alert(1)">Text</p>',
        '<img src="/media/a.png" alt="" onerror="alert(1)">',
        '<a href="/x" onmouseover="alert(1)">x</a>',
        '<figure class="image" onload="alert(1)"><img src="/media/a.png"></figure>',
    ],
)
def test_event_handlers_are_removed(html):
    cleaned = clean_html(html)
    assert "alert" not in cleaned
    assert " on" not in cleaned


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_javascript_and_data_urls_are_removed_from_links(href):
    cleaned = clean_html(f'<p><a href="{href}">Klick</a></p>')
    assert cleaned == "<p><a>Klick</a></p>"


@pytest.mark.parametrize(
    "iframe",
    [
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
        '<iframe src="/blog/selbst/"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<figure class="media"><oembed url="https://youtube.com/watch?v=1"></oembed></figure>',
        '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/">',
    ],
)
def test_iframes_and_other_foreign_embeds_are_removed(iframe):
    cleaned = clean_html(f"<p>Vorher</p>{iframe}<p>Nachher</p>")
    assert "iframe" not in cleaned
    assert "youtube" not in cleaned
    assert "evil" not in cleaned
    assert "<p>Vorher</p>" in cleaned and "<p>Nachher</p>" in cleaned


def test_forms_styles_and_inline_styles_are_removed():
    cleaned = clean_html(
        '<form action="https://evil.example/"><input name="pw"><button>Los</button></form>'
        "<style>body{display:none}</style>"
        '<p style="color:red" class="x" id="y">Text</p>'
    )
    assert cleaned == "<p>Text</p>"


def test_images_from_other_hosts_and_data_urls_are_removed_entirely():
    cleaned = clean_html(
        '<p>a<img src="https://tracker.example/pixel.gif" alt="x">'
        '<img src="//tracker.example/p.gif">'
        '<img src="data:image/png;base64,AAAA" alt="y">b</p>'
    )
    assert cleaned == "<p>ab</p>"


def test_a_link_opening_a_new_tab_always_gets_noopener():
    cleaned = clean_html('<a href="https://example.org/" target="_blank">x</a>')
    assert cleaned == '<a href="https://example.org/" target="_blank" rel="noopener">x</a>'
    cleaned = clean_html('<a href="/a" target="_blank" rel="noreferrer">x</a>')
    assert cleaned == '<a href="/a" target="_blank" rel="noreferrer noopener">x</a>'


def test_other_targets_and_unknown_rel_values_are_dropped():
    cleaned = clean_html('<a href="/a" target="_top" rel="nofollow opener">x</a>')
    assert cleaned == '<a href="/a" rel="nofollow">x</a>'


def test_only_the_image_classes_of_the_editor_are_kept():
    cleaned = clean_html(
        '<figure class="image image-style-side evil"><img src="/m/a.png" class="x"></figure>'
    )
    assert cleaned == '<figure class="image image-style-side"><img src="/m/a.png" alt=""></figure>'


def test_an_image_without_alternative_text_gets_an_empty_alt_attribute():
    # Without any alt, screen readers read out the file name; alt="" marks it as decoration.
    assert clean_html('<p><img src="/m/a.png"></p>') == '<p><img src="/m/a.png" alt=""></p>'
    assert clean_html('<img src="/m/a.png" alt="Rolle">') == '<img src="/m/a.png" alt="Rolle">'
    assert clean_html('<img alt="" src="/m/a.png">') == '<img alt="" src="/m/a.png">'


def test_a_top_level_heading_becomes_a_section_heading():
    assert clean_html("<h1>Titel</h1><h6>Klein</h6>") == "<h2>Titel</h2><h4>Klein</h4>"


def test_html_comments_are_removed():
    assert clean_html("<p>a<!-- geheim --></p>") == "<p>a</p>"


def test_an_attribute_value_containing_a_closing_bracket_does_not_break_the_tag():
    cleaned = clean_html(
        '<img src="/m/a.png" alt="a > b"><a title="x>y" href="/z" target="_blank">z</a>'
    )
    assert cleaned == (
        '<img src="/m/a.png" alt="a &gt; b">'
        '<a title="x&gt;y" href="/z" target="_blank" rel="noopener">z</a>'
    )


def test_empty_input_gives_an_empty_string():
    assert clean_html("") == ""


@pytest.mark.parametrize(
    "src",
    [
        "/\\evil.example/p.gif",
        "\\\\evil.example/p.gif",
        "/&#9;/evil.example/p.gif",
        "//evil.example/",
    ],
)
def test_image_sources_that_browsers_read_as_another_host_are_removed(src):
    assert clean_html(f'<p>a<img src="{src}">b</p>') == "<p>ab</p>"


# -- the editor's link styles: conversation button and paid links --------------------------------

NOTE = '<span class="paid-note">(Werbung)</span>'


def test_the_conversation_button_keeps_its_class():
    html = '<p><a class="cta-button" href="/kontakt/">Gespräch vereinbaren</a></p>'

    assert clean_html(html) == html


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<a class="cta-button btn-danger x" href="/kontakt/">x</a>', 'class="cta-button"'),
        ('<p class="cta-button">x</p>', "<p>x</p>"),
        ('<img class="cta-button" src="/m/a.png" alt="">', '<img src="/m/a.png" alt="">'),
        ('<a class="paid-note" href="/a">x</a>', '<a href="/a">x</a>'),
    ],
)
def test_only_the_link_styles_open_up_and_only_on_links(tag, expected):
    assert expected in clean_html(tag)
    assert "btn-danger" not in clean_html(tag)


def test_a_paid_link_gets_rel_sponsored_and_one_visible_note():
    cleaned = clean_html(
        '<p>Meine <a class="sponsored" href="https://shop.example/rolle">Rolle</a>.</p>'
    )

    assert cleaned == (
        '<p>Meine <a class="sponsored" href="https://shop.example/rolle" rel="sponsored noopener">'
        f"Rolle</a> {NOTE}.</p>"
    )


def test_a_link_pasted_with_rel_sponsored_is_marked_as_paid_too():
    cleaned = clean_html('<p><a href="https://shop.example/" rel="sponsored">Shop</a></p>')

    assert 'class="sponsored"' in cleaned
    assert cleaned.count(NOTE) == 1


def test_saving_again_never_doubles_the_note():
    once = clean_html('<p><a class="sponsored" href="https://shop.example/">Shop</a> und mehr</p>')

    assert clean_html(once) == once
    assert clean_html(clean_html(once)) == once


def test_the_note_as_the_editor_hands_it_back_as_text_is_not_doubled():
    # CKEditor knows no <span>: the note comes back as plain text after the link.
    from_editor = (
        '<p><a class="sponsored" href="https://shop.example/">Shop</a>&nbsp;(Werbung) und mehr</p>'
    )

    cleaned = clean_html(from_editor)

    assert cleaned.count("(Werbung)") == 1
    assert cleaned.endswith(f"Shop</a> {NOTE} und mehr</p>")


def test_a_note_deleted_by_the_author_comes_back():
    cleaned = clean_html('<p><a class="sponsored" rel="sponsored noopener" href="/x">x</a></p>')

    assert cleaned.count(NOTE) == 1


def test_a_paid_link_opening_a_new_tab_keeps_all_rel_tokens():
    cleaned = clean_html(
        '<a class="sponsored" href="https://shop.example/" target="_blank" rel="nofollow">x</a>'
    )

    assert 'rel="nofollow sponsored noopener"' in cleaned


def test_every_paid_link_gets_its_own_note_and_other_links_none():
    cleaned = clean_html(
        '<ul><li><a class="sponsored" href="/a">A</a></li><li><a href="/b">B</a></li>'
        '<li><a class="sponsored cta-button" href="/c">C</a></li></ul>'
    )

    assert cleaned.count(NOTE) == 2
    assert f"B</a> {NOTE}" not in cleaned


def test_the_sanitiser_keeps_what_each_link_switch_of_the_editor_writes(settings):
    # The editor's switches (CKEditor link decorators) and the sanitiser must agree, or a
    # style the author picks would vanish on save.
    decorators = settings.CKEDITOR_5_CONFIGS["default"]["link"]["decorators"]
    assert {"ctaButton", "paidLink"} <= set(decorators)
    for decorator in decorators.values():
        attributes = dict(decorator.get("attributes", {}))
        classes = decorator.get("classes", [])
        if classes:
            attributes["class"] = " ".join(classes)
        written = "".join(f' {name}="{value}"' for name, value in attributes.items())

        cleaned = clean_html(f'<p><a href="/kontakt/"{written}>x</a></p>')

        for name, value in attributes.items():
            assert f' {name}="{value}' in cleaned, (decorator["label"], cleaned)
