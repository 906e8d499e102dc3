"""The hand-written PDF writer produces files that PDF readers accept."""

import re
import zlib

from newsletter.pdf import Flow, PdfDocument, text_width, wrap


def _objects_at_xref_offsets(data: bytes) -> list[bytes]:
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[startxref:].startswith(b"xref\n")
    header, *lines = data[startxref:].split(b"trailer")[0].splitlines()[1:]
    first, count = map(int, header.split())
    entries = [line for line in lines if line.strip()]
    assert len(entries) == count
    found = []
    for number, entry in enumerate(entries[1:], start=1):
        assert len(entry) + 1 == 20  # every xref line is exactly 20 bytes
        offset = int(entry[:10])
        found.append(data[offset : offset + len(f"{number} 0 obj")])
    return found


def test_every_cross_reference_offset_points_at_its_object():
    document = PdfDocument(title="Prüfung", author="Jana")
    flow = Flow(document, header="Test")
    for n in range(60):
        flow.paragraph(f"Absatz {n}: Übungen für Rücken, Schultern und Füße – „ruhig“ atmen.")
    flow.finish(footer="Fuß")
    data = document.to_bytes()
    assert data.startswith(b"%PDF-1.4\n")
    objects = _objects_at_xref_offsets(data)
    assert objects == [f"{n} 0 obj".encode() for n in range(1, len(objects) + 1)]
    assert len(document.pages) >= 2
    assert f"/Count {len(document.pages)}".encode() in data


def test_german_text_is_written_in_winansi_encoding_with_escaped_parentheses():
    document = PdfDocument(title="T", author="A")
    page = document.add_page()
    page.text(50, 50, "Grüße (und) ß – „ja“ \\")
    stream = re.search(rb"stream\n(.*?)\nendstream", document.to_bytes(), re.S).group(1)
    content = zlib.decompress(stream)
    assert b"(Gr\xfc\xdfe \\(und\\) \xdf \x96 \x84ja\x93 \\\\) Tj" in content
    assert b"/Encoding /WinAnsiEncoding" in document.to_bytes()


def test_lines_are_wrapped_to_the_width():
    text = "Faszien lieben Abwechslung und langsame, federnde Bewegungen. " * 5
    for line in wrap(text, size=11, width=200):
        assert text_width(line, size=11) <= 200
