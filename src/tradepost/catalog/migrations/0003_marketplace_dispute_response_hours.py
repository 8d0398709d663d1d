import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """Disputes: the hours each party has to answer a case at each step (default 24)."""

    dependencies = [
        ("catalog", "0002_marketplace_delivery_estimate_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="marketplace",
            name="dispute_response_hours",
            field=models.PositiveIntegerField(
                default=24,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(720),
                ],
            ),
        ),
    ]
