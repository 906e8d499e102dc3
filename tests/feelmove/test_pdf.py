"""The shared PDF writer produces files that PDF readers accept, with German text intact."""

import re
import zlib

from feelmove.pdf import PAGE_WIDTH, PdfDocument, text_width, wrap


def _xref(data: bytes) -> tuple[int, list[int]]:
    """The object count and the byte offsets listed in the cross-reference table."""
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 ")
    table = data[startxref:].split(b"trailer")[0]
    header, *entries = table.split(b"\n")[1:-1]
    count = int(header.split()[1])
    assert len(entries) == count
    assert entries[0] == b"0000000000 65535 f "
    for entry in entries:
        assert len(entry) + 1 == 20  # every xref line is exactly 20 bytes
    return count, [int(entry[:10]) for entry in entries[1:]]


def _streams(data: bytes) -> list[bytes]:
    return [zlib.decompress(s) for s in re.findall(rb"stream\n(.*?)\nendstream", data, re.S)]


def _document(pages: int = 3) -> PdfDocument:
    document = PdfDocument(title="Übungsplan Rücken", author="Jana Berger", subject="Füße")
    for number in range(pages):
        page = document.add_page()
        page.text(56, 780, f"Seite {number + 1}", font="bold", size=20)
        page.paragraph(56, 740, "Ruhig atmen und langsam bewegen. " * 20, width=300)
        page.rect(56, 100, 80, 40, fill=(1, 0.5, 0), stroke=(0, 0, 0))
        page.line(56, 90, 300, 90, colour=(0.5, 0.5, 0.5))
        page.polyline([(56, 60), (80, 80), (104, 60)], colour=(0, 0.3, 0.3), line_width=3)
        page.circle(200, 200, 30, fill=(0.2, 0.4, 0.4))
        with page.clip(0, 0, 100, 100):
            page.circle(0, 0, 80, stroke=(1, 1, 1), line_width=4)
    return document


def test_the_file_starts_with_a_pdf_header_and_ends_with_eof():
    data = _document().to_bytes()
    assert data.startswith(b"%PDF-1.4\n%")
    assert data.endswith(b"%%EOF\n")


def test_every_cross_reference_offset_points_at_its_object():
    data = _document().to_bytes()
    count, offsets = _xref(data)
    assert count == len(offsets) + 1
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj\n".encode())
    assert re.search(rb"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R " % count, data)


def test_the_page_tree_counts_every_added_page():
    for pages in (1, 4):
        data = _document(pages).to_bytes()
        assert f"/Count {pages}".encode() in data
        assert data.count(b"/Type /Page ") == pages
        assert len(_streams(data)) == pages


def test_german_text_is_written_in_winansi_encoding():
    document = PdfDocument(title="T", author="A")
    document.add_page().text(50, 50, "Grüße aus Köln: Äpfel, Öl, Übung – „gut“ für 5 €")
    data = document.to_bytes()
    (content,) = _streams(data)
    expected = "Grüße aus Köln: Äpfel, Öl, Übung – „gut“ für 5 €".encode("cp1252")
    assert b"(" + expected + b") Tj" in content
    assert data.count(b"/Encoding /WinAnsiEncoding") == 2
    assert b"/BaseFont /Helvetica " in data and b"/BaseFont /Helvetica-Bold " in data


def test_parentheses_and_backslashes_in_text_are_escaped():
    document = PdfDocument(title="T", author="A")
    document.add_page().text(50, 50, r"(a) \ b")
    (content,) = _streams(document.to_bytes())
    assert rb"(\(a\) \\ b) Tj" in content


def test_document_information_keeps_umlauts_and_falls_back_to_utf16():
    data = PdfDocument(title="Übungsplan Rücken", author="Jana „J“ Berger").to_bytes()
    # Latin-1 text as PDFDocEncoding octal escapes; „ “ are not in it, so UTF-16 with a BOM.
    assert rb"/Title (\334bungsplan R\374cken)" in data
    assert b"/Author <FEFF004A0061006E0061002020" in data


def test_text_in_a_document_without_colour_uses_the_documents_ink():
    document = PdfDocument(title="T", author="A", ink=(0.1, 0.2, 0.3))
    page = document.add_page()
    page.text(10, 10, "a")
    page.text(10, 20, "b", colour=(1, 0, 0))
    assert page.ops[0] == "0.1 0.2 0.3 rg" and page.ops[2] == "1 0 0 rg"


def test_text_width_follows_the_helvetica_metrics():
    assert text_width("Hallo", size=10) == (722 + 556 + 222 + 222 + 556) / 100
    assert text_width("ü", size=10) == text_width("u", size=10)
    assert text_width("Rücken", font="bold", size=10) > text_width("Rücken", size=10)


def test_lines_are_wrapped_to_the_width_at_spaces():
    text = "Faszien lieben Abwechslung und langsame, federnde Bewegungen. " * 6
    for font in ("regular", "bold"):
        lines = wrap(text, font=font, size=11, width=200)
        assert len(lines) > 5
        assert all(text_width(line, font=font, size=11) <= 200 for line in lines)
        assert " ".join(lines) == text.strip()


def test_a_word_longer_than_the_width_gets_a_line_of_its_own():
    assert wrap("ein Rückenschmerzfragebogen hier", size=11, width=40) == [
        "ein",
        "Rückenschmerzfragebogen",
        "hier",
    ]


def test_a_paragraph_returns_the_baseline_below_its_last_line():
    page = PdfDocument(title="T", author="A").add_page()
    y = page.paragraph(50, 700, "Wort " * 80, width=PAGE_WIDTH - 100, size=10, leading=14)
    lines = [op for op in page.ops if op.endswith("Tj ET")]
    assert len(lines) > 1
    assert y == 700 - 14 * len(lines)


def test_a_clip_is_saved_and_restored_around_its_drawing():
    page = PdfDocument(title="T", author="A").add_page()
    with page.clip(0, 0, 10, 10):
        page.rect(0, 0, 20, 20, fill=(0, 0, 0))
    assert page.ops[0] == "q 0 0 10 10 re W n"
    assert page.ops[-1] == "Q"
