"""Test helpers of the WordPress import: the old site's uploads folder, run the commands."""

import io
from pathlib import Path

from django.core.management import call_command
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "feelmove-6.4.xml"
OLD_HOST = "https://www.feelmove.example"

# A minimal PDF that passes the editor's check: header, one empty page, end marker.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def photo(size=(1600, 1000), color=(46, 110, 102), fmt="JPEG", gps=False) -> bytes:
    """A picture as a camera or WordPress would store it, optionally with a GPS position."""
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if gps and fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "Kamerahersteller"  # Make
        gps_ifd = {1: "N", 2: (52.0, 30.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}
        exif[0x8825] = gps_ifd
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def make_uploads(folder: Path) -> Path:
    """The old site's wp-content/uploads as the fixture export refers to it (fehlt.jpg is
    missing on purpose; boese.jpg is HTML dressed up as a JPEG)."""
    files = {
        "2018/01/faszienrolle.jpg": photo((900, 600), gps=True),
        "2018/01/faszienrolle-300x188.jpg": photo((300, 188), (200, 0, 0)),
        "2019/03/katze-kuh.jpg": photo((1200, 800), (168, 70, 47)),
        "2019/03/katze-kuh-scaled.jpg": photo((1000, 667), (168, 70, 47)),
        "2019/03/katze-kuh-1024x683.jpg": photo((1024, 683), (0, 0, 200)),
        "2019/05/dehnung.png": photo((600, 400), (214, 180, 120), fmt="PNG"),
        "2019/05/dehnung-300x200.png": photo((300, 200), (0, 200, 0), fmt="PNG"),
        "2019/05/schulter.jpg": photo((700, 466), (90, 120, 160)),
        "2019/05/schulter-768x512.jpg": photo((768, 512), (0, 0, 0)),
        "2020/05/uebungsplan.pdf": PDF,
        "2020/05/boese.jpg": b"<html><script>alert(1)</script></html>",
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


def run_import(*args, export=EXPORT) -> str:
    out = io.StringIO()
    call_command(
        "import_wordpress", str(export), *[str(a) for a in args], stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()
