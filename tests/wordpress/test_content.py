"""The content converter on its own: paragraph rules, shortcodes, comment text."""

from wordpress.autop import autop
from wordpress.content import Resolved, convert, parse_shortcodes, plain_text


class OldSite:
    """A stand-in for the importer: one old post, one upload, nothing else."""

    def resolve_url(self, url):
        if "alt.example" not in url:
            return None
        if url.endswith("/wp-content/uploads/2020/01/bild.jpg"):
            return Resolved("/media/uploads/2020/01/bild.jpg", kind="file")
        if url.endswith("/ein-artikel/"):
            return Resolved("/blog/ein-artikel/", title="Ein Artikel")
        return Resolved(url.split("alt.example", 1)[1] or "/")

    def rewrite_text(self, text):
        return text

    def gallery_images(self, attributes):
        return []


def html_of(content: str) -> str:
    return convert(content, context=OldSite()).html


def test_empty_lines_make_paragraphs_and_single_line_breaks_make_br():
    assert autop("eins\nzwei\n\ndrei") == "<p>eins<br />\nzwei</p>\n<p>drei</p>"


def test_block_elements_are_never_wrapped_in_a_paragraph_and_pre_is_left_alone():
    text = autop("Text\n<blockquote>Zitat</blockquote>\n<pre>a\n\nb</pre>")
    assert text == "<p>Text</p>\n<blockquote><p>Zitat</p></blockquote>\n<pre>a\n\nb</pre>"


def test_an_escaped_shortcode_stays_as_text():
    assert html_of("So schreibt man es: [[gallery]]") == "<p>So schreibt man es: [gallery]</p>"


def test_an_unknown_enclosing_shortcode_keeps_its_text_and_is_listed():
    result = convert("Das ist [highlight color=red]wichtig[/highlight].", context=OldSite())
    assert result.html == "<p>Das ist wichtig.</p>"
    assert result.unknown_shortcodes == {"highlight": 1}


def test_shortcodes_nest_and_unclosed_ones_stand_alone():
    nodes = parse_shortcodes('[a x="1"][b]Text[/b][c /][/a][d]')
    outer = nodes[0]
    assert outer.name == "a" and outer.attributes == {"x": "1"}
    assert [n.name for n in outer.children] == ["b", "c"]
    assert outer.children[0].children == ["Text"]
    assert nodes[1].name == "d" and nodes[1].children is None


def test_a_link_to_an_old_post_gets_its_new_address_and_a_bare_one_its_title():
    html = html_of(
        '<a href="https://alt.example/ein-artikel/">hier</a>\n\nhttps://alt.example/ein-artikel/'
    )
    assert '<a href="/blog/ein-artikel/">hier</a>' in html
    assert '<p><a href="/blog/ein-artikel/">Ein Artikel</a></p>' in html


def test_scripts_styles_and_event_handlers_never_survive():
    html = html_of('<p onclick="x()">A</p><script>x()</script><style>p{}</style>')
    assert html == "<p>A</p>"


def test_an_image_alone_in_a_paragraph_becomes_a_figure_as_the_editor_makes_it():
    html = html_of('<img src="https://alt.example/wp-content/uploads/2020/01/bild.jpg" alt="B">')
    assert (
        html == '<figure class="image"><img src="/media/uploads/2020/01/bild.jpg" alt="B"></figure>'
    )


def test_comment_html_becomes_plain_text_with_link_addresses_and_line_breaks():
    text = plain_text(
        '<p>Hallo &amp; danke!<br/>Siehe <a href="https://x.example/">meine Seite</a>.</p>'
        "<ul><li>eins</li></ul><em>Gruß</em>"
    )
    assert text == "Hallo & danke!\nSiehe meine Seite (https://x.example/).\n\n- eins\n\nGruß"
