"""How fast import_wordpress moves a big blog in: `make bench-wordpress`.

Writes a WordPress export (WXR 1.2, as WordPress 6 writes it) with 1,000 posts and 20,000
comments (threads up to four deep, a fifth of them the author's replies), categories, tags and
featured images with a matching wp-content/uploads folder, then imports it into a fresh SQLite
database with production settings, twice (the second run must change nothing). Each import runs
in its own process, which reports its wall time and peak memory (ru_maxrss).

    .venv/bin/python bench/wordpress.py                        # the defaults below
    .venv/bin/python bench/wordpress.py --posts 3000 --comments 60000   # a bigger blog
"""

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PARAGRAPH = (
    "Wer morgens steif aus dem Bett steigt, kennt das Gefühl: Der untere Rücken meldet sich, "
    "bevor der Kaffee fertig ist. Fünf ruhige Minuten Bewegung können daran viel ändern. "
    "In der Nacht bewegen wir uns wenig, die Bandscheiben nehmen Flüssigkeit auf und das "
    "Bindegewebe wird weniger geschmeidig. Das ist normal und kein Grund zur Sorge."
)
COMMENT = "Danke für die Anleitung! Ich mache die Übung jetzt jeden Morgen, und es hilft."

RUN_IMPORT = """
import json, resource, sys, time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
with open(sys.argv[2], "w") as report:
    call_command("import_wordpress", sys.argv[1], "--uploads", sys.argv[3], stdout=report,
                 verbosity=0)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_mib": usage.ru_maxrss / 1024}))
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_export(path: Path, *, posts: int, comments: int, images: int, seed: int = 7) -> None:
    """A WXR 1.2 file with `posts` posts, `comments` comments and `images` featured images."""
    rng = random.Random(seed)
    base = "https://www.feelmove.example"
    start = datetime(2014, 1, 1, 8, 0, tzinfo=UTC)
    categories = ["ruecken", "faszien", "nacken", "huefte", "atmung", "alltag"]
    tags = [f"thema-{n}" for n in range(40)]
    per_post = [comments // posts] * posts
    for n in range(comments - sum(per_post)):
        per_post[n] += 1
    comment_id = 1000
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>feelmove</title><link>{base}</link><language>de-DE</language>\n"
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{base}</wp:base_site_url>"
            f"<wp:base_blog_url>{base}</wp:base_blog_url>\n"
            "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>jana</wp:author_login>"
            "<wp:author_email>jana@feelmove.example</wp:author_email><wp:author_display_name>"
            "Jana Berger</wp:author_display_name><wp:author_first_name>Jana"
            "</wp:author_first_name><wp:author_last_name>Berger</wp:author_last_name>"
            "</wp:author>\n"
        )
        for number, slug in enumerate(categories, start=2):
            out.write(
                f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>{slug}"
                f"</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>"
                f"{cdata(slug.title())}</wp:cat_name></wp:category>\n"
            )
        for number, slug in enumerate(tags, start=100):
            out.write(
                f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(slug.replace('-', ' ').title())}</wp:tag_name></wp:tag>\n"
            )
        for image in range(images):
            attachment_id = 100_000 + image
            out.write(
                _item(
                    attachment_id,
                    f"bild-{image}",
                    "attachment",
                    "inherit",
                    f"{base}/?attachment_id={attachment_id}",
                    start,
                    "",
                    parent=image + 1,
                    extra=(
                        f"<wp:attachment_url>{base}/wp-content/uploads/2020/01/bild-{image}.jpg"
                        "</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attached_file"
                        f"</wp:meta_key><wp:meta_value>2020/01/bild-{image}.jpg</wp:meta_value>"
                        "</wp:postmeta><wp:postmeta><wp:meta_key>_wp_attachment_image_alt"
                        "</wp:meta_key><wp:meta_value>Eine Übung auf der Matte</wp:meta_value>"
                        "</wp:postmeta>"
                    ),
                )
            )
        for post in range(1, posts + 1):
            date = start + timedelta(days=post * 3)
            slug = f"uebung-{post}"
            paragraphs = "\n\n".join(PARAGRAPH for _ in range(rng.randint(4, 9)))
            content = (
                f"{paragraphs}\n\n<h2>Die Übung</h2>\nLangsam beginnen.\nAtmen nicht vergessen."
                f'\n\nMehr dazu in <a href="{base}/{date:%Y/%m}/uebung-{max(1, post - 1)}/">'
                "der letzten Übung</a>."
            )
            extra = "".join(
                f'<category domain="{domain}" nicename="{term}">{cdata(term)}</category>'
                for domain, term in [
                    ("category", categories[post % len(categories)]),
                    ("post_tag", tags[post % len(tags)]),
                    ("post_tag", tags[(post * 7) % len(tags)]),
                ]
            )
            if post <= images:
                extra += (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>"
                    f"{100_000 + post - 1}</wp:meta_value></wp:postmeta>"
                )
            depth: dict[int, int] = {}
            for n in range(per_post[post - 1]):
                comment_id += 1
                # Two of three comments answer one of the last few (WordPress nests at most
                # five deep by default; here four).
                open_ = [c for c in list(depth)[-4:] if depth[c] < 3]
                parent = rng.choice(open_) if (n % 3 and open_) else 0
                by_author = bool(parent) and n % 5 == 4
                depth[comment_id] = depth[parent] + 1 if parent else 0
                extra += _comment(comment_id, date + timedelta(hours=n + 1), parent, by_author)
            out.write(
                _item(post, f"Übung {post} für den Rücken", "post", "publish",
                      f"{base}/{date:%Y/%m}/{slug}/", date, content, slug=slug, extra=extra)
            )  # fmt: skip
        out.write("</channel>\n</rss>\n")


def _item(wp_id, title, kind, status, link, date, content, *, slug="", parent=0, extra=""):
    return (
        f"<item><title>{cdata(title)}</title><link>{link}</link><dc:creator>jana</dc:creator>"
        f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded></excerpt:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{date:%Y-%m-%d %H:%M:%S}</wp:post_date>"
        f"<wp:post_date_gmt>{date:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status><wp:post_name>{slug or title}"
        f"</wp:post_name><wp:status>{status}</wp:status><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:menu_order>0</wp:menu_order><wp:post_type>{kind}</wp:post_type>"
        f"<wp:post_password></wp:post_password>{extra}</item>\n"
    )


def _comment(comment_id, date, parent, by_author):
    name, email, user = ("Jana", "jana@feelmove.example", 1) if by_author else (
        f"Leserin {comment_id}", f"leserin{comment_id}@example.org", 0)  # fmt: skip
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>"
        f"{cdata(name)}</wp:comment_author><wp:comment_author_email>{email}"
        "</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
        "<wp:comment_author_IP>203.0.113.5</wp:comment_author_IP>"
        f"<wp:comment_date>{date:%Y-%m-%d %H:%M:%S}</wp:comment_date><wp:comment_date_gmt>"
        f"{date:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt><wp:comment_content>"
        f"{cdata(COMMENT + ' <strong>Wirklich.</strong>')}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment"
        f"</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{user}</wp:comment_user_id></wp:comment>"
    )


def write_uploads(folder: Path, images: int) -> None:
    """Camera-sized JPEGs (3000 x 2000), as WordPress keeps the originals."""
    from PIL import Image

    target = folder / "2020" / "01"
    target.mkdir(parents=True, exist_ok=True)
    for image in range(images):
        colour = (40 + image * 3 % 200, 110, 100 + image * 7 % 150)
        Image.new("RGB", (3000, 2000), colour).save(target / f"bild-{image}.jpg", quality=90)


def run_import(env: dict, export: Path, uploads: Path, report: Path) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", RUN_IMPORT, str(export), str(report), str(uploads)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"The import failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--images", type=int, default=50, help="featured images (default 50)")
    parser.add_argument("--target-seconds", type=float, default=120)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feelmove-bench-wp-") as folder:
        folder = Path(folder)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "PAGE_CACHE_STATE_DIR": str(folder / "page-state"),
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "feelmove.settings",
        }
        started = time.perf_counter()
        export, uploads = folder / "export.xml", folder / "wp-content" / "uploads"
        write_export(
            export, posts=arguments.posts, comments=arguments.comments, images=arguments.images
        )
        write_uploads(uploads, arguments.images)
        prepared = time.perf_counter() - started
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        first = run_import(env, export, uploads, folder / "report-1.txt")
        second = run_import(env, export, uploads, folder / "report-2.txt")
        report = (folder / "report-1.txt").read_text()
        rerun = (folder / "report-2.txt").read_text()
        size_mib = export.stat().st_size / 2**20

    print(
        f"export: {arguments.posts} posts, {arguments.comments} comments, {arguments.images} "
        f"featured images (3000x2000 JPEG), {size_mib:.1f} MiB WXR (made in {prepared:.1f} s)"
    )
    for label, run in (("first import: ", first), ("second import:", second)):
        print(
            f"{label} {run['seconds']:7.1f} s ({run['cpu_seconds']:.1f} s CPU), "
            f"peak memory {run['peak_mib']:.0f} MiB"
        )
    print("\nreport of the first import:\n" + report)
    print("report of the second import:\n" + rerun)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    (results / f"wordpress-{stamp}.json").write_text(
        json.dumps(
            {
                "arguments": vars(arguments),
                "first": first,
                "second": second,
                "export_mib": size_mib,
            },
            indent=2,
        )  # fmt: skip
    )
    met = first["seconds"] <= arguments.target_seconds
    print(f"target: first import <= {arguments.target_seconds:.0f} s: {'PASS' if met else 'FAIL'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
