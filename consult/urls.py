from django.urls import path

from .views import cases, clients, intake

urlpatterns = [
    # intake (consult/views/intake.py)
    *intake.urlpatterns,
    # case list and case page (consult/views/cases.py)
    *cases.urlpatterns,
    # clients: search, likely matches, merge (consult/views/clients.py)
    *clients.urlpatterns,
]
