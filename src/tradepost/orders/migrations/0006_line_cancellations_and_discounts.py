# Line cancellations (units a seller cancels before shipping) with the refund and restock
# counters on order lines, who canceled a seller order, and goodwill discounts in the order's
# money: total = subtotal + shipping + tax - discount.

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

import tradepost.core.clock


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_marketplace_refund_policy"),
        ("orders", "0005_revenue_report_indexes"),
        ("payments", "0003_refunds_by_line_requests_and_codes"),
    ]

    operations = [
        migrations.CreateModel(
            name="LineCancellation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=tradepost.core.clock.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "reason",
                    models.CharField(
                        choices=[("out_of_stock", "Out of stock"), ("other", "Other reason")],
                        max_length=20,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500)),
                (
                    "lines",
                    models.JSONField(
                        help_text='What was canceled: [{"sku": ..., "quantity": ...}].'
                    ),
                ),
                ("refunded_amount", models.BigIntegerField(default=0)),
                ("actor_role", models.CharField(max_length=10)),
                ("actor_label", models.CharField(max_length=200)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="order",
            name="order_total_adds_up",
        ),
        migrations.RemoveConstraint(
            model_name="sellerorder",
            name="seller_order_total_adds_up",
        ),
        migrations.AddField(
            model_name="order",
            name="discount_amount",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="order",
            name="discount_code",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="redeemed_order",
                to="payments.discountcode",
            ),
        ),
        migrations.AddField(
            model_name="orderline",
            name="quantity_canceled",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="orderline",
            name="quantity_refunded",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="orderline",
            name="quantity_restocked",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="sellerorder",
            name="canceled_by_role",
            field=models.CharField(blank=True, db_default="", default="", max_length=10),
        ),
        migrations.AddField(
            model_name="sellerorder",
            name="discount_amount",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("discount_amount__gte", 0)), name="order_discount_amount"
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "total_amount",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("subtotal_amount"), "+", models.F("shipping_amount")
                                ),
                                "+",
                                models.F("tax_amount"),
                            ),
                            "-",
                            models.F("discount_amount"),
                        ),
                    )
                ),
                name="order_total_adds_up",
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("discount_amount__lte", models.F("subtotal_amount"))),
                name="order_discount_not_above_subtotal",
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "quantity__gte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("quantity_shipped"), "+", models.F("quantity_canceled")
                        ),
                    )
                ),
                name="line_shipped_and_canceled_within_quantity",
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity_refunded__lte", models.F("quantity"))),
                name="line_not_refunded_beyond_quantity",
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity_restocked__lte", models.F("quantity_refunded"))),
                name="line_restocks_only_refunded_units",
            ),
        ),
        migrations.AddConstraint(
            model_name="sellerorder",
            constraint=models.CheckConstraint(
                condition=models.Q(("discount_amount__gte", 0)), name="seller_order_discount_amount"
            ),
        ),
        migrations.AddConstraint(
            model_name="sellerorder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "total_amount",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("subtotal_amount"), "+", models.F("shipping_amount")
                                ),
                                "+",
                                models.F("tax_amount"),
                            ),
                            "-",
                            models.F("discount_amount"),
                        ),
                    )
                ),
                name="seller_order_total_adds_up",
            ),
        ),
        migrations.AddConstraint(
            model_name="sellerorder",
            constraint=models.CheckConstraint(
                condition=models.Q(("discount_amount__lte", models.F("subtotal_amount"))),
                name="seller_order_discount_not_above_subtotal",
            ),
        ),
        migrations.AddField(
            model_name="linecancellation",
            name="alternative_listing",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.listing",
            ),
        ),
        migrations.AddField(
            model_name="linecancellation",
            name="seller_order",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="line_cancellations",
                to="orders.sellerorder",
            ),
        ),
        migrations.AddConstraint(
            model_name="linecancellation",
            constraint=models.CheckConstraint(
                condition=models.Q(("refunded_amount__gte", 0)),
                name="line_cancellation_refund_not_negative",
            ),
        ),
    ]
