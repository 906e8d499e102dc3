"""Background tasks of the newsletter (django-tasks: `manage.py db_worker` in production)."""

from django_tasks import task

from newsletter.services import issue_deliver


@task()
def deliver_issue(*, issue_id: int) -> dict[str, int]:
    """Send the open deliveries of one issue; safe to run again or in parallel."""
    return issue_deliver(issue_id=issue_id)
