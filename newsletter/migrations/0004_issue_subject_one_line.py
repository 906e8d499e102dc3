from django.db import migrations, models


def collapse_subjects(apps, schema_editor):
    """Subjects stored with line breaks become one line, as the model now keeps them."""
    Issue = apps.get_model("newsletter", "Issue")
    for issue in Issue.objects.filter(
        models.Q(subject__contains="\n") | models.Q(subject__contains="\r")
    ).only("pk", "subject"):
        Issue.objects.filter(pk=issue.pk).update(subject=" ".join(issue.subject.split()))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_subscriber_import_fields"),
    ]

    operations = [
        migrations.RunPython(collapse_subjects, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("subject__contains", "\n"), _negated=True),
                    models.Q(("subject__contains", "\r"), _negated=True),
                ),
                name="newsletter_issue_subject_one_line",
                violation_error_message="The subject must be a single line.",
            ),
        ),
    ]
