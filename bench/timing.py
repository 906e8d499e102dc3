"""Does the response time tell whether an e-mail address is known?

The forms that take an address (the newsletter and guide signups, "send me a fresh download
link", "Meine Daten") answer the same page for every address. This script checks that their
timing does not give the answer away either: it posts known and unknown addresses in random
order to the real views (the whole middleware stack, in-process, no network noise) with
production settings
(DEBUG off, the database task queue that `db_worker` serves), and prints for each form the
median and spread of both kinds, and how well the best possible time threshold tells them apart
(50 % = a coin toss, 100 % = every request gives the address away; "by chance" is what
the same times give with the labels shuffled, the noise floor of that figure).

    .venv/bin/python bench/timing.py [--samples 300]
    .venv/bin/python bench/timing.py --postgres postgres://postgres@127.0.0.1:5432/feelmove_x

With --postgres the script creates a database named after the one in the URL plus `_timing`,
and drops it again at the end. Without, it uses SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"

# form: (path, extra POST fields)
FORMS = {
    "fresh_link": ("/gratis-guide/neuer-link/", {}),
    "newsletter_signup": ("/newsletter/", {"consent": "on", "first_name": ""}),
    "guide_signup": ("/gratis-guide/", {"consent": "on", "first_name": ""}),
    "my_data": ("/meine-daten/", {}),
}


def log(message: str) -> None:
    print(f"[timing {time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(tmp: Path, database_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "feelmove.settings",
        "DEBUG": "0",
        "SECRET_KEY": "timing-" + secrets.token_urlsafe(40),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
        "RATE_LIMITS": "off",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private_media"),
        "PAGE_CACHE_STATE_DIR": str(tmp / "page-state"),
        "LOG_LEVEL": "WARNING",
    }


def postgres_database(url: str, *, create: bool) -> str:
    """Create (or drop) the `<name>_timing` database next to the one in `url`; its URL."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_timing"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def seed(count: int) -> dict[str, list[str]]:
    """An active guide and `count` known addresses per form, all confirmed, none mailed lately."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from newsletter.models import Guide, Subscriber

    Guide.objects.create(
        title="Faszien-Guide",
        description="Zehn Übungen.",
        is_active=True,
        pdf=ContentFile(b"%PDF-1.4\n%%EOF\n", name="guide.pdf"),
    )
    long_ago = timezone.now() - timedelta(days=2)
    known = {}
    for form in FORMS:
        addresses = [f"{form}-{n}@example.org" for n in range(count)]
        Subscriber.objects.bulk_create(
            Subscriber(
                email=address,
                status=Subscriber.Status.CONFIRMED,
                source=Subscriber.Source.GUIDE,
                confirmed_at=long_ago,
                signed_up_at=long_ago,
                confirmation_sent_at=long_ago,
            )
            for address in addresses
        )
        known[form] = addresses
    return known


def measure(client, path: str, fields: dict, email: str) -> float:
    started = time.perf_counter_ns()
    response = client.post(path, {"email": email, **fields})
    elapsed = (time.perf_counter_ns() - started) / 1e6
    if response.status_code != 302:
        raise SystemExit(f"{path} answered {response.status_code} for {email}")
    return elapsed


def separability(known: list[float], unknown: list[float]) -> float:
    """The share of requests the best single time threshold classifies correctly (0.5 .. 1)."""
    samples = sorted([(t, 1) for t in known] + [(t, 0) for t in unknown])
    total_known, total = len(known), len(samples)
    best = 0.5
    below_known = below_unknown = 0
    for _time, is_known in samples:
        below_known += is_known
        below_unknown += 1 - is_known
        # "known if slower than here" and "known if faster than here", whichever fits better.
        slower = (below_unknown + (total_known - below_known)) / total
        best = max(best, slower, 1 - slower)
    return best


def chance_level(known: list[float], unknown: list[float], rounds: int = 50) -> float:
    """What separability() gives for the same times with the labels shuffled: its noise floor."""
    pooled = known + unknown
    results = []
    for _ in range(rounds):
        random.shuffle(pooled)
        results.append(separability(pooled[: len(known)], pooled[len(known) :]))
    return statistics.mean(results)


def summary(values: list[float]) -> dict:
    ordered = sorted(values)

    def pct(p):
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 3)

    return {"median_ms": round(statistics.median(ordered), 3), "p10_ms": pct(10), "p90_ms": pct(90)}


def run(samples: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    known = seed(samples + 20)
    client = Client()
    results = {}
    for form, (path, fields) in FORMS.items():
        addresses = iter(known[form])
        for n in range(20):  # warm-up: templates, connections, caches
            measure(client, path, fields, next(addresses))
            measure(client, path, fields, f"warmup-{form}-{n}@example.net")
        times = {"known": [], "unknown": []}
        for n in range(samples):
            pair = [("known", next(addresses)), ("unknown", f"new-{form}-{n}@example.net")]
            random.shuffle(pair)
            for kind, address in pair:
                times[kind].append(measure(client, path, fields, address))
        results[form] = {
            "known": summary(times["known"]),
            "unknown": summary(times["unknown"]),
            "separability": round(separability(times["known"], times["unknown"]), 3),
            "chance_level": round(chance_level(times["known"], times["unknown"]), 3),
            "samples": samples,
        }
        log(
            f"{form:18} known {results[form]['known']['median_ms']:.2f} ms, "
            f"unknown {results[form]['unknown']['median_ms']:.2f} ms, "
            f"told apart in {results[form]['separability']:.0%}"
        )
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=300, help="requests per kind and form")
    parser.add_argument("--postgres", help="a PostgreSQL URL; the script uses <name>_timing")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="feelmove-timing-"))
    if args.postgres:
        database_url = postgres_database(args.postgres, create=True)
        database = "PostgreSQL"
    else:
        database_url = f"sqlite:///{tmp / 'timing.sqlite3'}"
        database = "SQLite"
    os.environ.update(environment(tmp, database_url))
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        results = run(args.samples)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            postgres_database(args.postgres, create=False)

    print()
    print(
        f"{'form':20} {'known (p10/median/p90 ms)':>30} {'unknown':>26} {'told apart':>11}"
        f" {'by chance':>10}"
    )
    for form, figures in results.items():
        k, u = figures["known"], figures["unknown"]
        print(
            f"{form:20} {k['p10_ms']:>9.2f} {k['median_ms']:>9.2f} {k['p90_ms']:>9.2f}"
            f" {u['p10_ms']:>9.2f} {u['median_ms']:>9.2f} {u['p90_ms']:>9.2f}"
            f" {figures['separability']:>10.0%} {figures['chance_level']:>10.0%}"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"timing-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "database": database,
                "machine": f"{platform.machine()} {os.cpu_count()} CPUs, {platform.platform()}",
                "python": platform.python_version(),
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\nfigures: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
