"""Rewrite callers' numbers stored before intake normalised them (session 4) into the canonical
form (``hotline.security.phone_numbers.normalise_phone``), so the caller history, search, the API's
phone filter and duplicate detection — which compare the column with a normalised number — find
those orders too. Only the number's spelling changes: version and ``updated_at`` stay, and no event
is written (no one acted on the order). Not reversed: the typed spelling is not kept anywhere.
"""

from django.db import migrations

from hotline.security.phone_numbers import normalise_phone

BATCH = 2000


def normalise_stored_phones(apps, schema_editor):
    WorkOrder = apps.get_model("orders", "WorkOrder")
    rows = (
        WorkOrder.objects.exclude(citizen_phone="")
        .values_list("pk", "citizen_phone")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )
    changed = []
    for pk, phone in rows:
        canonical = normalise_phone(phone)
        if canonical != phone:
            changed.append(WorkOrder(pk=pk, citizen_phone=canonical))
    WorkOrder.objects.bulk_update(changed, ["citizen_phone"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_assign_inside")]

    operations = [migrations.RunPython(normalise_stored_phones, migrations.RunPython.noop)]
