from django.contrib import admin

from tradepost.catalog.models import Listing, Marketplace, Seller
from tradepost.core.admin_site import ReadOnlyAdmin


@admin.register(Marketplace)
class MarketplaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "default_currency", "default_commission_rate_bps"]


@admin.register(Seller)
class SellerAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "status", "commission_rate_bps"]
    search_fields = ["name", "slug"]


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["sku", "title", "seller", "unit_price_amount", "stock_quantity", "is_active"]
    list_select_related = ["seller"]
    search_fields = ["sku", "title"]
