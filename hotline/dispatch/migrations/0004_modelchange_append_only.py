"""On PostgreSQL, refuse UPDATE and DELETE of dispatch model changes in the database itself."""

from django.db import migrations

from hotline.appendonly import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0003_first_level")]

    operations = [AppendOnlyTrigger("ModelChange")]
