"""System reasons of model changes as codes, shown in the reader's language (old rows keep their
text; hotline.dispatch.reasons shows the sentences it recognises translated)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0004_modelchange_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="modelchange",
            name="reason_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("trained", "trained and activated at once"),
                    ("admin", "Activated in the admin."),
                    ("no_active_model", "No usable active model: the new one is used."),
                    ("no_orders", "No dispatched orders in the month held out"),
                    ("not_worse", "Not worse on the month held out"),
                    ("worse", "Worse on the month held out"),
                ],
                max_length=32,
                verbose_name="system reason",
            ),
        ),
        migrations.AlterField(
            model_name="modelchange",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
    ]
