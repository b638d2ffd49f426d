from .views import bookings, calendars, now, roster

app_name = "interpreters"

urlpatterns = [
    # the roster (interpreters/views/roster.py)
    *roster.urlpatterns,
    # bookings (interpreters/views/bookings.py)
    *bookings.urlpatterns,
    # "who can help now" (interpreters/views/now.py)
    *now.urlpatterns,
    # calendars (interpreters/views/calendars.py)
    *calendars.urlpatterns,
]
