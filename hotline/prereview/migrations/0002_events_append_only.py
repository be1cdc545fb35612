"""On PostgreSQL, refuse UPDATE and DELETE of pre-review events in the database itself."""

from django.db import migrations

from hotline.appendonly import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("prereview", "0001_initial")]

    operations = [AppendOnlyTrigger("PreReviewEvent")]
