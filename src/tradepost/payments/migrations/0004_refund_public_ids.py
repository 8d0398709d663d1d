# Data: give every existing refund its public id (new ones get one when they are made).

import uuid

from django.db import migrations


def fill_public_ids(apps, schema_editor):
    Refund = apps.get_model("payments", "Refund")
    for refund in Refund.objects.filter(public_id__isnull=True).only("pk").iterator():
        Refund.objects.filter(pk=refund.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_refunds_by_line_requests_and_codes")]

    operations = [migrations.RunPython(fill_public_ids, migrations.RunPython.noop)]
