from django.contrib import admin

from .models import CostShareRule


@admin.register(CostShareRule)
class CostShareRuleAdmin(admin.ModelAdmin):
    list_display = ("consortium", "fiscal_year", "method", "amount", "base_amount", "usage_basis", "updated_at")
    list_filter = ("consortium", "method")
