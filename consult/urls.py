"""Every URL of the consult app (names are used as ``consult:<name>``)."""

from django.urls import path

from .views import cases, clients, intake, merge

app_name = "consult"

urlpatterns = [
    # intake (consult/views/intake.py)
    path("consultations/new/", intake.consultation_new, name="consultation_new"),
    path("consultations/quick/", intake.consultation_quick, name="consultation_quick"),
    path("cases/<int:pk>/consultations/new/", intake.case_consultation_new, name="case_consultation_new"),
    path("cases/<int:pk>/promote/", intake.case_promote, name="case_promote"),
    # the case list and the case page (consult/views/cases.py)
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/follow-ups/", cases.case_follow_up_add, name="case_follow_up_add"),
    path("cases/<int:pk>/earlier/", cases.case_link_earlier, name="case_link_earlier"),
    path("cases/<int:pk>/earlier/<int:earlier_pk>/remove/", cases.case_unlink_earlier, name="case_unlink_earlier"),
    path("follow-ups/<int:pk>/status/", cases.follow_up_status, name="follow_up_status"),
    # clients: search, likely matches, the client page (consult/views/clients.py)
    path("clients/search/", clients.client_search, name="client_search"),
    path("clients/matches/", clients.client_matches, name="client_matches"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    # merging duplicate clients (consult/views/merge.py)
    path("clients/merge/", merge.client_merge, name="client_merge"),
]
