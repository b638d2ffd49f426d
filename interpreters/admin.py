from django.contrib import admin

from .models import AvailabilityException, Booking, Interpreter, InterpreterLanguage, WeeklySlot


class InterpreterLanguageInline(admin.TabularInline):
    model = InterpreterLanguage
    extra = 0


class WeeklySlotInline(admin.TabularInline):
    model = WeeklySlot
    extra = 0


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "consortium", "active"]
    list_filter = ["kind", "active", "consortium"]
    search_fields = ["name", "name_latin"]
    inlines = [InterpreterLanguageInline, WeeklySlotInline]

    def get_readonly_fields(self, request, obj=None):
        # A person's bookings are held by the no-double-booking constraint and
        # a service's are not (composite key on the kind): the kind stays.
        return ["kind"] if obj is not None else []


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(admin.ModelAdmin):
    list_display = ["interpreter", "kind", "starts_at", "ends_at"]
    raw_id_fields = ["interpreter", "created_by"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: bookings change through the services (audit trail, constraint messages)."""

    list_display = ["starts_at", "language", "modality", "interpreter", "status"]
    list_filter = ["status", "modality"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
