# Data: who canceled each seller order canceled so far, read from its timeline, so the sellers'
# cancellation rate counts the past too.

from django.db import migrations


def fill_canceled_by_role(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    SellerOrder = apps.get_model("orders", "SellerOrder")
    cancellations = OrderEvent.objects.filter(
        field="fulfilment_status", to_status="canceled", seller_order__isnull=False
    ).values_list("seller_order_id", "actor_role")
    for seller_order_id, role in cancellations.iterator():
        SellerOrder.objects.filter(pk=seller_order_id, canceled_by_role="").update(
            canceled_by_role=role
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_line_cancellations_and_discounts")]

    operations = [migrations.RunPython(fill_canceled_by_role, migrations.RunPython.noop)]
