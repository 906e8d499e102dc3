"""How long backup_site and restore_site take, and how much memory they need, on a big site.

    .venv/bin/python bench/backup.py                          # demo + 20,000 comments + 200 MB
    .venv/bin/python bench/backup.py --comments 50000 --files 400 --file-mb 1
    .venv/bin/python bench/backup.py --s3                     # files in moto's S3 server
    .venv/bin/python bench/backup.py --postgres postgres://postgres@127.0.0.1:5432/feelmove_bench

A temporary SQLite site (the demo, grown by `--comments` comments and `--files` incompressible
files of `--file-mb` MB, like photos) is backed up; the archive is restored into a new, empty
site (SQLite, or the PostgreSQL database given, which is dropped and created). Each step runs as
`manage.py` in its own process; the table shows its wall time and peak memory (max RSS).
The point: memory stays flat as the site grows, because rows and files are streamed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROW = """
import os
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from blog.models import Article
from comments.models import Comment

comments, files, size = {comments}, {files}, {size}
articles = list(Article.objects.order_by("pk"))
now = timezone.now()
batch = [
    Comment(
        article=articles[n % len(articles)], name=f"Leserin {{n}}", email=f"l{{n}}@example.org",
        body="Danke für die Übung, mein Rücken fühlt sich viel freier an. " * 3,
        status="approved", created_at=now,
    )
    for n in range(comments)
]
Comment.objects.bulk_create(batch, batch_size=2000)
for n in range(files):
    default_storage.save(f"uploads/bench/foto-{{n:05d}}.jpg", ContentFile(os.urandom(size)))
"""

# Peak memory of one child process, measured by a small parent that only waits for it.
MEASURE = (
    "import resource, subprocess, sys, time; t = time.monotonic();"
    "code = subprocess.call(sys.argv[1:]);"
    "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def run(env, *args, measure=False):
    command = [sys.executable, "manage.py", *args]
    if measure:
        command = [sys.executable, "-c", MEASURE, *command]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0 or (measure and not result.stdout.strip().endswith(" 0")):
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if measure:
        seconds, kib, _code = result.stdout.strip().splitlines()[-1].split()
        return float(seconds), int(kib) / 1024
    return result.stdout


def fresh_postgres(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--file-mb", type=float, default=1.0)
    parser.add_argument("--s3", action="store_true", help="source and target files in moto's S3")
    parser.add_argument("--postgres", metavar="URL", help="restore into this PostgreSQL database")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="feelmove-bench-backup-"))
    base = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "MEDIA_"))},
        "DEBUG": "0",
        "SECRET_KEY": "bench-backup-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "immediate",
        "PAGE_CACHE_STATE_DIR": str(tmp / "state"),
        "DJANGO_SETTINGS_MODULE": "feelmove.settings",
    }
    base.pop("DATABASE_URL", None)
    server = None
    source = {**base, "DATABASE_URL": f"sqlite:///{tmp / 'source.sqlite3'}"}
    target = {**base, "DATABASE_URL": f"sqlite:///{tmp / 'target.sqlite3'}"}
    source["MEDIA_ROOT"] = str(tmp / "source" / "media")
    target["MEDIA_ROOT"] = str(tmp / "target" / "media")
    if options.s3:
        from tests.s3server import S3Server

        server = S3Server(log_path=tmp / "moto.log").start()
        source.update(server.env(server.create_buckets("source")))
        target.update(server.env(server.create_buckets("target")))
    if options.postgres:
        fresh_postgres(options.postgres)
        target["DATABASE_URL"] = options.postgres
    try:
        run(source, "migrate", "--noinput", "-v0")
        run(source, "load_demo")
        grow = GROW.format(
            comments=options.comments, files=options.files, size=int(options.file_mb * 2**20)
        )
        run(source, "shell", "-c", grow)
        archive = tmp / "site.tar.gz"
        backup_s, backup_mb = run(source, "backup_site", "--output", str(archive), measure=True)
        run(target, "migrate", "--noinput", "-v0")
        restore_s, restore_mb = run(target, "restore_site", str(archive), measure=True)
        import tarfile

        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        rows = sum(entry["count"] for entry in manifest["models"])
        files = sum(manifest["files"].values())
        payload = sum(info["size"] for info in manifest["members"].values()) / 2**20
        storage = "S3 (moto)" if options.s3 else "local folder"
        database = "PostgreSQL" if options.postgres else "SQLite"
        print(
            f"site: {rows} rows, {files} files, {payload:.0f} MB; archive "
            f"{archive.stat().st_size / 2**20:.0f} MB; files in {storage}"
        )
        print("| step | wall time | peak memory (max RSS) |")
        print("| --- | --- | --- |")
        print(f"| backup_site (SQLite) | {backup_s:.1f} s | {backup_mb:.0f} MB |")
        print(f"| restore_site ({database}) | {restore_s:.1f} s | {restore_mb:.0f} MB |")
    finally:
        if server is not None:
            server.stop()
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    main()
