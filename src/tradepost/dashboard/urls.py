from django.urls import path

from tradepost.dashboard import dispute_urls, return_urls
from tradepost.dashboard.views import (
    actions,
    email_templates,
    home,
    messages,
    notifications,
    orders,
    payouts,
    performance,
    refunds,
    reply_templates,
    revenue,
    reviews,
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
    # Refunds, refund requests and line cancellations (dashboard.views.refunds), before the
    # seller-order actions, whose <action> would take their last segment.
    path(
        "orders/<str:number>/seller-orders/<str:reference>/refunds/",
        refunds.refund_create_page,
        name="refund_create",
    ),
    path(
        "orders/<str:number>/seller-orders/<str:reference>/refund-requests/",
        refunds.refund_request_create_page,
        name="refund_request_create",
    ),
    path(
        "orders/<str:number>/refund-requests/<str:request_id>/<str:action>/",
        refunds.refund_request_decide_page,
        name="refund_request_decide",
    ),
    path(
        "orders/<str:number>/seller-orders/<str:reference>/cancel-lines/",
        refunds.lines_cancel_page,
        name="lines_cancel",
    ),
    path(
        "orders/<str:number>/seller-orders/<str:reference>/<str:action>/",
        actions.seller_order_action,
        name="seller_order_action",
    ),
    path(
        "orders/<str:number>/seller-orders/<str:reference>/review/<str:action>/",
        reviews.seller_order_review_action,
        name="seller_order_review",
    ),
    path(
        "orders/<str:number>/messages/<str:reference>/",
        messages.message_post_page,
        name="message_post",
    ),
    path(
        "orders/<str:number>/messages/<str:reference>/reply-template/",
        messages.reply_template_insert,
        name="reply_template_insert",
    ),
    path("messages/", messages.inbox_page, name="messages"),
    path("messages/<str:reference>/", messages.thread_page, name="message_thread"),
    path("attachments/<uuid:attachment_id>/", messages.attachment_download, name="attachment"),
    path("reply-templates/", reply_templates.reply_template_list_page, name="reply_templates"),
    path(
        "reply-templates/<str:template_id>/",
        reply_templates.reply_template_page,
        name="reply_template",
    ),
    path(
        "reply-templates/<str:template_id>/delete/",
        reply_templates.reply_template_delete_page,
        name="reply_template_delete",
    ),
    path("revenue/", revenue.revenue_page, name="revenue"),
    path("sellers/performance/", performance.seller_performance_page, name="seller_performance"),
    path("scorecard/", performance.own_scorecard_page, name="own_scorecard"),
    path(
        "sellers/<slug:slug>/scorecard/",
        performance.seller_scorecard_page,
        name="seller_scorecard",
    ),
    path("payouts/", payouts.payouts_page, name="payouts"),
    path("payouts/export.csv", payouts.payouts_csv, name="payouts_csv"),
    path("payouts/create/", payouts.payout_create_action, name="payout_create"),
    path(
        "payouts/<uuid:payout_id>/mark-paid/",
        payouts.payout_mark_paid_action,
        name="payout_mark_paid",
    ),
    path(
        "payouts/<uuid:payout_id>/mark-failed/",
        payouts.payout_mark_failed_action,
        name="payout_mark_failed",
    ),
    path("balance/", payouts.balance_page, name="balance"),
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
# Cases and chargebacks (dashboard.views.disputes) keep their routes in their own module.
urlpatterns += dispute_urls.urlpatterns
# Returns (dashboard.views.returns) likewise.
urlpatterns += return_urls.urlpatterns
