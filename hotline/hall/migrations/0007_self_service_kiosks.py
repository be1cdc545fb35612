"""Self-service kiosks and their uses (append-only, refused in the database on PostgreSQL)."""

import datetime
import django.db.models.deletion
from django.db import migrations, models

TABLE = "hall_selfserviceuse"


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
        ("hall", "0006_auto_call_and_appointment_events"),
        ("matters", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Kiosk",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                (
                    "place",
                    models.CharField(
                        help_text="Where it stands, e.g. the 24-hour area by the east door.",
                        max_length=100,
                        verbose_name="place",
                    ),
                ),
                (
                    "round_the_clock",
                    models.BooleanField(default=True, verbose_name="open 24 hours"),
                ),
                (
                    "opens_at",
                    models.TimeField(default=datetime.time(0, 0), verbose_name="opens at"),
                ),
                (
                    "closes_at",
                    models.TimeField(default=datetime.time(23, 59), verbose_name="closes at"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "hall",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="kiosks",
                        to="hall.hall",
                        verbose_name="hall",
                    ),
                ),
                (
                    "matters",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Matters a citizen completes at this kiosk without a clerk.",
                        related_name="kiosks",
                        to="matters.matter",
                        verbose_name="matters completed here",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-service kiosk",
                "verbose_name_plural": "self-service kiosks",
                "ordering": ["hall", "code"],
            },
        ),
        migrations.CreateModel(
            name="SelfServiceUse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("done", "Matter completed"),
                            ("materials", "Material list looked up"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="at")),
                (
                    "hall_open",
                    models.BooleanField(
                        help_text="Whether the hall's windows were open then.",
                        verbose_name="during the hall's hours",
                    ),
                ),
                (
                    "hall",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="hall.hall",
                    ),
                ),
                (
                    "kiosk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="uses",
                        to="hall.kiosk",
                        verbose_name="kiosk",
                    ),
                ),
                (
                    "matter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="matters.matter",
                        verbose_name="matter",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-service use",
                "verbose_name_plural": "self-service uses",
                "ordering": ["at", "pk"],
                "indexes": [
                    models.Index(fields=["hall", "kind", "at"], name="selfservice_hall_kind_at")
                ],
            },
        ),
        migrations.RunPython(append_only, drop_append_only),
    ]
