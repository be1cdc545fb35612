"""Auto-call per window; appointment events (append-only, refused in the database on PostgreSQL),
with the bookings made before this migration given their booking (and last change) as events."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "hall_appointmentevent"
ACTION_OF_STATE = {"cancelled": "cancel", "checked_in": "check_in", "no_show": "no_show"}


def history(apps, schema_editor):
    Appointment = apps.get_model("hall", "Appointment")
    AppointmentEvent = apps.get_model("hall", "AppointmentEvent")
    events = []
    for a in Appointment.objects.all().iterator():
        channel = "operator" if a.booked_by_id else "portal"
        events.append(
            AppointmentEvent(
                appointment=a,
                action="book",
                at=a.booked_at,
                actor_id=a.booked_by_id,
                channel=channel,
                to_state="booked",
            )
        )
        if a.state in ACTION_OF_STATE:
            # Who made the change was not recorded before: the system stands in.
            events.append(
                AppointmentEvent(
                    appointment=a,
                    action=ACTION_OF_STATE[a.state],
                    at=a.changed_at or a.booked_at,
                    channel="system",
                    from_state="booked",
                    to_state=a.state,
                )
            )
    AppointmentEvent.objects.bulk_create(events)


def append_only(apps, schema_editor):
    # hall_event_append_only() was created by 0002.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION hall_event_append_only();",
        params=None,
    )


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0005_opening_hours_as_times"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="window",
            name="auto_call",
            field=models.BooleanField(
                default=False,
                help_text="Call the next ticket as soon as the window finishes or skips one.",
                verbose_name="auto-call",
            ),
        ),
        migrations.AlterField(
            model_name="windowevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("sign_in", "Clerk signed in"),
                    ("sign_out", "Clerk signed out"),
                    ("open", "Opened"),
                    ("pause", "Paused"),
                    ("close", "Closed"),
                    ("auto_call_on", "Auto-call switched on"),
                    ("auto_call_off", "Auto-call switched off"),
                ],
                max_length=16,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="AppointmentEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("book", "Booked"),
                            ("cancel", "Cancelled"),
                            ("check_in", "Checked in"),
                            ("no_show", "No-show"),
                        ],
                        max_length=12,
                        verbose_name="action",
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, verbose_name="at")),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("portal", "Portal"),
                            ("operator", "12345 operator"),
                            ("kiosk", "Kiosk"),
                            ("hall", "Hall staff"),
                            ("system", "System"),
                        ],
                        max_length=12,
                        verbose_name="channel",
                    ),
                ),
                (
                    "from_state",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("booked", "Booked"),
                            ("cancelled", "Cancelled"),
                            ("checked_in", "Checked in"),
                            ("no_show", "No-show"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "to_state",
                    models.CharField(
                        choices=[
                            ("booked", "Booked"),
                            ("cancelled", "Cancelled"),
                            ("checked_in", "Checked in"),
                            ("no_show", "No-show"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="hall.appointment",
                    ),
                ),
            ],
            options={
                "verbose_name": "appointment event",
                "verbose_name_plural": "appointment events",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.RunPython(history, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
