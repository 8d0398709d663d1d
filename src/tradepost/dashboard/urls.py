from django.urls import path

from tradepost.dashboard.views import actions, home, orders

app_name = "dashboard"

urlpatterns = [
    path("", home.home, name="home"),
    path("queue/", home.seller_queue, name="seller_queue"),
    path("orders/", orders.order_list_page, name="orders"),
    path("orders/export.csv", orders.order_list_csv, name="orders_csv"),
    path("orders/<str:number>/", orders.order_detail_page, name="order"),
    path(
        "orders/<str:number>/payment/<str:action>/",
        actions.order_payment_action,
        name="payment_action",
    ),
    path(
        "orders/<str:number>/seller-orders/<str:reference>/<str:action>/",
        actions.seller_order_action,
        name="seller_order_action",
    ),
]
