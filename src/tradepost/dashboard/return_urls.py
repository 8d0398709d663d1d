"""The dashboard's return pages and actions, added to ``dashboard.urls``."""

from django.urls import path

from tradepost.dashboard.views import returns

urlpatterns = [
    path("returns/", returns.return_list_page, name="returns"),
    path(
        "orders/<str:number>/returns/<str:reference>/request/",
        returns.return_create_page,
        name="return_create",
    ),
    path(
        "orders/<str:number>/return-steps/<uuid:return_id>/<str:action>/",
        returns.return_action_page,
        name="return_action",
    ),
]
