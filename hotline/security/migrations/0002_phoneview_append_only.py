"""On PostgreSQL, refuse UPDATE and DELETE of the phone-view record in the database itself."""

from django.db import migrations

from hotline.appendonly import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [AppendOnlyTrigger("PhoneView")]
