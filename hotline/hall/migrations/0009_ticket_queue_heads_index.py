"""Call-next's heads query (ROW_NUMBER() per priority class and target window, by queue time)
becomes an index range read instead of a sort of every waiting row on PostgreSQL. The new index
starts with the old one's columns (hall, state, day), so it replaces it: every query the old one
served keeps the same prefix, and a ticket's writes still maintain one such index. Added before
the old one is dropped, so the table is never without it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0008_appointment_cancel_reason"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["hall", "state", "day", "priority", "target_window", "queued_at", "id"],
                name="ticket_queue_heads",
            ),
        ),
        migrations.RemoveIndex(model_name="ticket", name="ticket_hall_state_day"),
    ]
