"""One active ticket per person and matter *a day*: a real-name ticket left waiting when the hall
closed refused its holder a ticket (and a booking's check-in) on every later day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0009_ticket_queue_heads_index"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="ticket",
            name="ticket_one_active_per_holder",
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("state__in", ["waiting", "called", "serving", "held"]),
                    models.Q(("holder_key", ""), _negated=True),
                ),
                fields=("hall", "day", "matter", "holder_key"),
                name="ticket_one_active_per_holder",
            ),
        ),
    ]
