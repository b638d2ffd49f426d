from django.urls import path

from . import views

urlpatterns = [
    path("desks/", views.desk_list, name="desk_list"),
    path("desks/<int:pk>/", views.desk_detail, name="desk_detail"),
]
