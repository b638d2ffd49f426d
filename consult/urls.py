from .views import cases, clients, intake, merge

urlpatterns = [
    # intake (consult/views/intake.py)
    *intake.urlpatterns,
    # case list and case page (consult/views/cases.py)
    *cases.urlpatterns,
    # clients: search, likely matches (consult/views/clients.py)
    *clients.urlpatterns,
    # merging duplicate clients (consult/views/merge.py)
    *merge.urlpatterns,
]
