"""The dashboard's case and chargeback pages, added to ``dashboard.urls``."""

from django.urls import path

from tradepost.dashboard.views import disputes

urlpatterns = [
    path("disputes/", disputes.case_list_page, name="cases"),
    path("disputes/<uuid:case_id>/", disputes.case_page, name="case"),
    path("disputes/<uuid:case_id>/<str:action>/", disputes.case_action, name="case_action"),
    path(
        "orders/<str:number>/disputes/<str:reference>/open/",
        disputes.case_open_page,
        name="case_open",
    ),
    path(
        "orders/<str:number>/chargebacks/<str:reference>/",
        disputes.chargeback_record_page,
        name="chargeback_record",
    ),
    path(
        "evidence-packs/<uuid:pack_id>/<str:which>/",
        disputes.evidence_pack_download,
        name="evidence_pack",
    ),
]
