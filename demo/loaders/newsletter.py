"""The newsletter's demo: the free guide (PDF and cover), subscribers, issues (content/newsletter/).

Rows are looked up by the guide's title, the subscriber's address and the issue's subject: what
exists is left exactly as it is, only what is missing is created.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from demo.content import (
    CONTENT_DIR,
    DemoContentError,
    check,
    check_printable,
    check_template,
    read_toml,
)
from demo.figures import check_exercise_figures
from demo.illustrations import guide_cover_png
from demo.pdf import guide as guide_pdf
from demo.pdf.layout import ENCODING
from newsletter.consent import CONSENT_VERSION, consent_text
from newsletter.models import Delivery, Guide, Issue, Subscriber

NEWSLETTER_DIR = CONTENT_DIR / "newsletter"
FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

GUIDE_SCHEMA = {
    "title": "text",
    "subtitle": "text",
    "description": "prose",
    "contents": ["text"],
    "cover_alt": "prose",
    "file_name": "text",
    "cover": {
        "kicker": "text",
        "title": ["text"],
        "subtitle": "text",
        "byline": "text",
        "picture_byline": "text",
    },
    **guide_pdf.SCHEMA,
}
SUBSCRIBER_SCHEMA = {
    "email": "text",
    "first_name?": "text",
    "status": "text",
    "source": "text",
    "days_ago": "int",
}
ISSUE_SCHEMA = {"subject": "text", "status": "text", "sent_days_ago?": "int", "body": "text"}
ISSUE_STATUSES = (Issue.Status.SENT, Issue.Status.DRAFT)


@dataclass(frozen=True)
class NewsletterContent:
    guide: dict
    subscribers: list[dict]
    issues: list[dict]


def read_guide(path: Path) -> dict:
    guide = check(path, read_toml(path), GUIDE_SCHEMA)
    if not FILE_NAME.match(guide["file_name"]):
        raise DemoContentError(f"{path.name}: file_name may only use a-z, 0-9 and '-'")
    if len(guide["cover"]["title"]) > 2:
        raise DemoContentError(f"{path.name}: cover.title has room for two lines at most")
    labels = guide["exercise_labels"]
    check_template(path, labels["heading"], "exercise_labels.heading", "number", "title")
    check_template(path, labels["duration"], "exercise_labels.duration", "duration")
    check_template(path, guide["pdf"]["page_number"], "pdf.page_number", "number", "total")
    check_exercise_figures(path, guide["exercises"])
    printed = {key: guide[key] for key in ("title", "subtitle", "cover", *guide_pdf.SCHEMA)}
    check_printable(path, printed, ENCODING)
    return guide


def read_subscribers(path: Path) -> list[dict]:
    subscribers = check(path, read_toml(path), {"subscribers": [SUBSCRIBER_SCHEMA]})["subscribers"]
    seen = set()
    for entry in subscribers:
        where = f"{path.name}: subscriber {entry['email']}"
        if "@" not in entry["email"] or entry["email"].lower() in seen:
            raise DemoContentError(f"{where}: not an address, or it appears twice")
        seen.add(entry["email"].lower())
        if entry["status"] not in Subscriber.Status.values:
            raise DemoContentError(
                f"{where}: status must be one of {', '.join(Subscriber.Status.values)}"
            )
        if entry["source"] not in Subscriber.Source.values:
            raise DemoContentError(
                f"{where}: source must be one of {', '.join(Subscriber.Source.values)}"
            )
        if entry["days_ago"] < 1:
            raise DemoContentError(f"{where}: days_ago must be at least 1")
    return subscribers


def read_issue(path: Path) -> dict:
    issue = check(path, read_toml(path), ISSUE_SCHEMA)
    if issue["status"] not in ISSUE_STATUSES:
        raise DemoContentError(f"{path.name}: status must be one of {', '.join(ISSUE_STATUSES)}")
    sent = issue["status"] == Issue.Status.SENT
    if sent != ("sent_days_ago" in issue):
        raise DemoContentError(f"{path.name}: a sent issue, and only a sent one, has sent_days_ago")
    if sent and issue["sent_days_ago"] < 1:
        raise DemoContentError(f"{path.name}: sent_days_ago must be at least 1")
    return issue


def read(directory: Path = NEWSLETTER_DIR) -> NewsletterContent:
    """Read and check guide.toml, subscribers.toml and issues/*.toml."""
    issues = [read_issue(path) for path in sorted(directory.glob("issues/*.toml"))]
    subjects = [issue["subject"] for issue in issues]
    if len(set(subjects)) != len(subjects):
        raise DemoContentError("issues: two issue files have the same subject")
    return NewsletterContent(
        guide=read_guide(directory / "guide.toml"),
        subscribers=read_subscribers(directory / "subscribers.toml"),
        issues=issues,
    )


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def build_guide_pdf(guide: dict) -> bytes:
    """The guide's PDF from the checked contents of guide.toml."""
    texts = {key: guide[key] for key in guide_pdf.SCHEMA}
    return guide_pdf.guide_pdf(
        title=guide["title"], subtitle=guide["subtitle"], cover=guide["cover"], texts=texts
    ).content


def build_guide_cover(guide: dict) -> bytes:
    """The guide's cover picture (PNG) from the checked contents of guide.toml."""
    cover = guide["cover"]
    return guide_cover_png(
        kicker=cover["kicker"],
        title=cover["title"],
        subtitle=cover["subtitle"],
        byline=cover["picture_byline"],
    )


def load(content: NewsletterContent, *, stdout=None, now: datetime | None = None) -> None:
    """Create the demo guide, subscribers and issues that are missing."""
    now = now or timezone.now()
    data = content.guide
    if not Guide.objects.filter(title=data["title"]).exists():
        guide = Guide(
            title=data["title"],
            subtitle=data["subtitle"],
            description=data["description"],
            contents="\n".join(data["contents"]),
            cover_alt=data["cover_alt"],
            # The first guide is offered; a guide the author made herself stays as it is.
            is_active=not Guide.objects.active().exists(),
        )
        name = data["file_name"]
        guide.pdf.save(f"{name}.pdf", ContentFile(build_guide_pdf(data)), save=False)
        guide.cover_image.save(f"{name}.png", ContentFile(build_guide_cover(data)), save=False)
        guide.save()
        _say(stdout, f"Guide „{data['title']}“ created.")

    for entry in content.subscribers:
        email, status = entry["email"], entry["status"]
        if Subscriber.objects.with_email(email).exists():
            continue
        signed_up = now - timedelta(days=entry["days_ago"])
        confirmed = status != Subscriber.Status.PENDING
        Subscriber.objects.create(
            email=email,
            first_name=entry.get("first_name", ""),
            status=status,
            source=entry["source"],
            consent_text=consent_text(entry["source"]),
            consent_version=CONSENT_VERSION,
            signed_up_at=signed_up,
            signup_ip="203.0.113.24",
            signup_user_agent="Mozilla/5.0 (Demo)",
            confirmation_sent_at=signed_up,
            confirmed_at=signed_up + timedelta(minutes=7) if confirmed else None,
            confirmation_ip="203.0.113.24" if confirmed else None,
            unsubscribed_at=(
                now - timedelta(days=10) if status == Subscriber.Status.UNSUBSCRIBED else None
            ),
        )
        _say(stdout, f"Subscriber {email} ({status}) created.")

    for entry in content.issues:
        subject, body = entry["subject"], entry["body"]
        if Issue.objects.filter(subject=subject).exists():
            continue
        if entry["status"] == Issue.Status.DRAFT:
            Issue.objects.create(subject=subject, body=body)
            _say(stdout, f"Issue „{subject}“ (draft) created.")
            continue
        sent_at = now - timedelta(days=entry["sent_days_ago"])
        issue = Issue.objects.create(subject=subject, body=body, status=Issue.Status.SENT)
        Issue.objects.filter(pk=issue.pk).update(
            sending_started_at=sent_at, sent_at=sent_at, created_at=sent_at - timedelta(days=1)
        )
        recipients = Subscriber.objects.filter(
            confirmed_at__lt=sent_at, status=Subscriber.Status.CONFIRMED
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    issue=issue,
                    subscriber=subscriber,
                    status=Delivery.Status.SENT,
                    attempts=1,
                    sent_at=sent_at,
                )
                for subscriber in recipients
            ]
        )
        _say(stdout, f"Issue „{subject}“ (sent) created.")
