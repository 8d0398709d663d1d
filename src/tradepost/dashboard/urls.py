from django.urls import path

from tradepost.dashboard.views import (
    actions,
    email_templates,
    home,
    notifications,
    orders,
    revenue,
    webhooks,
)

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
    path("revenue/", revenue.revenue_page, name="revenue"),
    path("webhooks/", webhooks.endpoint_list_page, name="webhooks"),
    path("webhooks/deliveries/", webhooks.delivery_log_page, name="webhook_deliveries"),
    path(
        "webhooks/deliveries/<uuid:delivery_id>/resend/",
        webhooks.delivery_log_resend,
        name="webhook_deliveries_resend",
    ),
    path("webhooks/<uuid:endpoint_id>/", webhooks.endpoint_page, name="webhook"),
    path(
        "webhooks/<uuid:endpoint_id>/enabled/",
        webhooks.endpoint_enabled,
        name="webhook_enabled",
    ),
    path(
        "webhooks/<uuid:endpoint_id>/rotate-secret/",
        webhooks.endpoint_rotate_secret,
        name="webhook_rotate_secret",
    ),
    path("webhooks/<uuid:endpoint_id>/replay/", webhooks.endpoint_replay, name="webhook_replay"),
    path(
        "webhooks/<uuid:endpoint_id>/delete/",
        webhooks.endpoint_delete_page,
        name="webhook_delete",
    ),
    path(
        "webhooks/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>/resend/",
        webhooks.endpoint_resend,
        name="webhook_resend",
    ),
    path("notifications/", notifications.notification_list_page, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<uuid:notification_id>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path("email-templates/", email_templates.email_template_list_page, name="email_templates"),
    path("email-templates/<str:key>/", email_templates.email_template_page, name="email_template"),
    path(
        "email-templates/<str:key>/preview/",
        email_templates.email_template_preview_page,
        name="email_template_preview",
    ),
    path(
        "email-templates/<str:key>/reset/",
        email_templates.email_template_reset_page,
        name="email_template_reset",
    ),
]
