"""On PostgreSQL, refuse UPDATE and DELETE of revisions, article events and article uses in the
database itself (the models refused them already)."""

from django.db import migrations

from hotline.appendonly import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial")]

    operations = [
        AppendOnlyTrigger("Revision"),
        AppendOnlyTrigger("ArticleEvent"),
        AppendOnlyTrigger("ArticleUse"),
    ]
