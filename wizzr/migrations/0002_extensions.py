"""PostgreSQL extensions the search of several apps uses: pg_trgm (similarity, trigram indexes) and
unaccent (accent-insensitive text search)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wizzr", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
