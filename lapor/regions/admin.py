from django.contrib import admin

from lapor.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read-mostly: the codes come from the official list (``load_regions``); an administrator
    may correct a name, or add a region created after the data was published."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    # "^code" so that typing "63.72" lists everything in Kota Banjarbaru.
    search_fields = ["^code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    list_per_page = 50
    # Counting 90,000 rows on every page view is slow on PostgreSQL and tells nobody anything.
    show_full_result_count = False

    def get_object(self, request, object_id, from_field=None):
        # A code holding NUL names no region (and PostgreSQL text cannot hold it): the
        # admin's own "does not exist" answer, not an error in SQL.
        if "\x00" in str(object_id):
            return None
        return super().get_object(request, object_id, from_field)

    def get_readonly_fields(self, request, obj=None):
        # A code is an identity other records refer to; only the name is correctable.
        return ["code", "level", "parent"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Reports, agencies and profiles point at regions; a removed region stays in the table.
        return False
