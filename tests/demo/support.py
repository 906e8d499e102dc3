"""Helpers for the demo tests: editing a copied data file, looking into a PDF."""

import re
import zlib


def edit(path, old: str, new: str) -> None:
    """Replace the first `old` in a data file; the test fails if it is not there."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def pdf_text(data: bytes) -> bytes:
    """The page content of a PDF: its compressed streams, inflated (images do not inflate)."""
    streams = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(streams)


def assert_valid_pdf(data: bytes) -> None:
    """Header, end marker, and a cross-reference table whose offsets point at their objects."""
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    header = re.match(rb"xref\s+0 (\d+)\s+", data[startxref:])
    assert header, "startxref does not point at the cross-reference table"
    entries = data[startxref + header.end() :].split(b"\n")[: int(header.group(1))]
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj" % number), number


def printed(text: str) -> bytes:
    """`text` as a PDF string of the built-in fonts holds it: Windows-1252, ( ) and \\ escaped."""
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
