"""pg_trgm for the forgiving search (blog.search): similarity() between a typo and known words.

On SQLite this does nothing. On PostgreSQL, CREATE EXTENSION needs a superuser or, since
PostgreSQL 13 (pg_trgm is a trusted extension), the database's owner.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0003_body_renditions")]

    operations = [TrigramExtension()]
