"""URLs of the documents app (names: documents:<name>)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("card/", views.language_card, name="language_card"),
    path("cases/<int:pk>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:pk>/documents/<slug:kind>/", views.case_document, name="case_document"),
]
