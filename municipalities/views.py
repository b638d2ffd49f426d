from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import get_desk_for_user
from .models import Membership
from .visibility import visible_desks


@require_GET
def desk_list(request):
    desks = visible_desks(request.user).select_related("municipality").order_by("municipality__code", "code")
    return render(request, "municipalities/desk_list.html", {"desks": desks})


@require_GET
def desk_detail(request, pk: int):
    desk = get_desk_for_user(request.user, pk)
    colleagues = (
        Membership.objects.active()
        .filter(municipality=desk.municipality)
        .select_related("user")
        .order_by("role", "user__username")
    )
    return render(request, "municipalities/desk_detail.html", {"desk": desk, "colleagues": colleagues})
