# Refunds by line (RefundLine) with their shipping and tax shares, provider idempotency keys and
# policy overrides; buyers' refund requests with proof; goodwill discount codes. Refunds get a
# public id in three steps (this nullable column, 0004 fills it, 0005 makes it unique).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import tradepost.core.clock


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("attachments", "0001_attachments"),
        ("catalog", "0004_marketplace_refund_policy"),
        ("orders", "0005_revenue_report_indexes"),
        ("payments", "0002_revenue_report_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RefundRequestLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.PositiveIntegerField()),
            ],
        ),
        migrations.AddField(
            model_name="refund",
            name="actor_role",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddField(
            model_name="refund",
            name="idempotency_key",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.AddField(
            model_name="refund",
            name="policy_override_note",
            field=models.CharField(
                blank=True,
                help_text="Why the owner refunded outside the refund policy.",
                max_length=1000,
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="proofs",
            field=models.ManyToManyField(blank=True, related_name="+", to="attachments.attachment"),
        ),
        migrations.AddField(
            model_name="refund",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="refund",
            name="shipping_share_amount",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="refund",
            name="tax_share_amount",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="refund",
            name="reason",
            field=models.CharField(
                help_text="A payments.status.RefundReason value.", max_length=40
            ),
        ),
        migrations.CreateModel(
            name="DiscountCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=tradepost.core.clock.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("code", models.CharField(max_length=32, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("fixed", "A fixed amount off, in the code's currency."),
                            ("percent", "A whole percentage off the items it covers."),
                        ],
                        max_length=10,
                    ),
                ),
                ("amount_off", models.BigIntegerField(blank=True, null=True)),
                ("currency", models.CharField(blank=True, max_length=3)),
                ("percent_off", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("expires_at", models.DateTimeField()),
                ("note", models.CharField(blank=True, max_length=500)),
                ("issued_by_role", models.CharField(max_length=10)),
                ("issued_by_label", models.CharField(max_length=200)),
                ("redeemed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="discount_codes",
                        to="accounts.buyer",
                    ),
                ),
                (
                    "refund",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="discount_codes",
                        to="payments.refund",
                    ),
                ),
                (
                    "seller",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="discount_codes",
                        to="catalog.seller",
                    ),
                ),
                (
                    "seller_order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="discount_codes",
                        to="orders.sellerorder",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="RefundLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.PositiveIntegerField()),
                ("amount", models.BigIntegerField()),
                ("quantity_restocked", models.PositiveIntegerField(default=0)),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refund_lines",
                        to="orders.orderline",
                    ),
                ),
                (
                    "refund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="payments.refund",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="RefundRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=tradepost.core.clock.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "The buyer asked; the seller or the owner decides."),
                            ("approved", "Approved: the refund was issued."),
                            ("declined", "Declined, with the reason the buyer is shown."),
                        ],
                        default="requested",
                        max_length=12,
                    ),
                ),
                ("reason", models.CharField(max_length=40)),
                ("note", models.CharField(blank=True, max_length=1000)),
                ("amount", models.BigIntegerField(blank=True, null=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decided_by_role", models.CharField(blank=True, max_length=10)),
                ("decided_by_label", models.CharField(blank=True, max_length=200)),
                (
                    "decision_note",
                    models.CharField(
                        blank=True,
                        help_text="The decline reason, or a note with the approval.",
                        max_length=1000,
                    ),
                ),
                (
                    "proofs",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="attachments.attachment"
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "seller_order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refund_requests",
                        to="orders.sellerorder",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="refund",
            name="request",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="refund",
                to="payments.refundrequest",
            ),
        ),
        migrations.AddConstraint(
            model_name="refund",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("idempotency_key",),
                name="refund_idempotency_key_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="refund",
            constraint=models.CheckConstraint(
                condition=models.Q(("shipping_share_amount__gte", 0), ("tax_share_amount__gte", 0)),
                name="refund_shares_not_negative",
            ),
        ),
        migrations.AddField(
            model_name="refundrequestline",
            name="line",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orders.orderline"
            ),
        ),
        migrations.AddField(
            model_name="refundrequestline",
            name="request",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="payments.refundrequest",
            ),
        ),
        migrations.AddIndex(
            model_name="discountcode",
            index=models.Index(fields=["buyer", "created_at"], name="discount_code_buyer_idx"),
        ),
        migrations.AddIndex(
            model_name="discountcode",
            index=models.Index(fields=["seller", "created_at"], name="discount_code_seller_idx"),
        ),
        migrations.AddConstraint(
            model_name="discountcode",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("amount_off__gt", 0),
                        ("kind", "fixed"),
                        ("percent_off__isnull", True),
                        models.Q(("currency", ""), _negated=True),
                    ),
                    models.Q(
                        ("amount_off__isnull", True),
                        ("kind", "percent"),
                        ("percent_off__gte", 1),
                        ("percent_off__lte", 100),
                    ),
                    _connector="OR",
                ),
                name="discount_code_value_matches_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="refundline",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity__gt", 0)), name="refund_line_quantity_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="refundline",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gte", 0)), name="refund_line_amount_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="refundline",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity_restocked__lte", models.F("quantity"))),
                name="refund_line_restocks_within_quantity",
            ),
        ),
        migrations.AddIndex(
            model_name="refundrequest",
            index=models.Index(fields=["status", "created_at"], name="refund_request_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="refundrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", True), ("amount__gt", 0), _connector="OR"),
                name="refund_request_amount_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="refundrequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "requested")),
                fields=("seller_order",),
                name="one_open_refund_request_per_seller_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="refundrequestline",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity__gt", 0)),
                name="refund_request_line_quantity_positive",
            ),
        ),
    ]
