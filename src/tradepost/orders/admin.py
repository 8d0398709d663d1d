from django.contrib import admin

from tradepost.core.admin_site import ReadOnlyAdmin
from tradepost.orders.models import Order, OrderEvent, SellerOrder


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "buyer_name",
        "status",
        "payment_status",
        "total_amount",
        "created_at",
    ]
    list_filter = ["status", "payment_status"]
    search_fields = ["number", "buyer_name", "buyer_email"]
    show_full_result_count = False  # no COUNT(*) over a large table


@admin.register(SellerOrder)
class SellerOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "seller", "status", "total_amount", "commission_amount"]
    list_filter = ["status", "seller"]
    search_fields = ["reference"]
    list_select_related = ["seller"]
    show_full_result_count = False


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ["order", "kind", "from_status", "to_status", "actor_label", "created_at"]
    list_select_related = ["order"]
    show_full_result_count = False
