"""On PostgreSQL, refuse UPDATE and DELETE of synonym events in the database itself."""

from django.db import migrations

from hotline.appendonly import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_synonyms")]

    operations = [AppendOnlyTrigger("SynonymEvent")]
