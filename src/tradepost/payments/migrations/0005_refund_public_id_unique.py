# Refunds' public ids are all filled in (0004): make them required and unique.

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0004_refund_public_ids")]

    operations = [
        migrations.AlterField(
            model_name="refund",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
