import reversion
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from editorial.admin_uploads import StorageErrorsAdminMixin
from editorial.history_admin import EditorialAdmin
from editorial.locking import LockedAdmin
from editorial.parents import TouchesParentAdmin

from . import collection_admin, figures_admin
from .models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support

# A framework's revision carries its adopters and capabilities, not its
# figures: restoring an old description must never delete newer figures.
# Figures are versioned on their own.
reversion.register(Framework, follow=("adoptions", "supports"))


def _current_figures(obj) -> str:
    figures = getattr(obj, "current_figures", [])
    if not figures:
        return "—"
    return format_html_join(
        mark_safe("<br>"),
        "{}: {} <small>({})</small>",
        (
            (m.metric.label, m.display_value, figures_admin.as_of_label(m))
            for m in figures
        ),
    )


class MeasurementHistoryInline(admin.TabularInline):
    """Figures already recorded. Read-only here, so history is never overwritten by accident."""

    model = Measurement
    verbose_name = "recorded figure"
    verbose_name_plural = "figure history (newest first; correct a mistake from the Measurements list)"
    fields = ("metric", "value", "as_of", "source_name", "source_url", "recorded_by", "recorded_at")
    readonly_fields = fields
    ordering = ("metric__position", "-as_of")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("metric", "recorded_by")


class NewMeasurementInline(admin.TabularInline):
    """Blank rows to record new figures; earlier figures stay as they are."""

    model = Measurement
    verbose_name = "new figure"
    verbose_name_plural = "record new figures"
    fields = ("metric", "value", "as_of", "source_name", "source_url", "note")
    extra = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class AdoptionInline(admin.TabularInline):
    model = Adoption
    fk_name = "framework"
    fields = ("organization", "relation", "other_framework", "note", "source_name", "source_url", "as_of")
    autocomplete_fields = ("organization", "other_framework")
    extra = 0


class SupportInline(admin.TabularInline):
    model = Support
    fields = ("capability", "level", "package", "package_url", "note")
    autocomplete_fields = ("capability",)
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(
    StorageErrorsAdminMixin,
    collection_admin.FrameworkCollectionMixin,
    figures_admin.FrameworkFiguresMixin,
    LockedAdmin,
    EditorialAdmin,
):
    list_display = ("name", "year_created", "license", "figures", "is_published", "updated_at")
    list_filter = ("is_published", "language", "license")
    search_fields = ("name", "slug", "tagline")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at", "collection_state")
    fieldsets = (
        (None, {"fields": ("name", "slug", "tagline", "description", "is_published")}),
        ("Facts", {"fields": ("language", "year_created", "license", "home_url", "repository_url", "documentation_url",
                              "latest_version", "latest_release_on")}),
        ("Collection", {
            "fields": ("github_repo", "pypi_package", "stackoverflow_tag", "collection_state"),
            "description": "Where the collectors fetch this framework's figures. Each is optional.",
        }),
        ("Logo and colour", {"fields": ("logo", "logo_alt", "chart_colour")}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (NewMeasurementInline, MeasurementHistoryInline, AdoptionInline, SupportInline)

    def get_queryset(self, request):
        current = Measurement.objects.current().select_related("metric").order_by("metric__position", "metric__name")
        return super().get_queryset(request).prefetch_related(
            Prefetch("measurements", queryset=current, to_attr="current_figures")
        )

    def kept_on_delete(self, obj):
        return obj.measurements.all()

    @admin.display(description="Current figures (as of)")
    def figures(self, obj):
        return _current_figures(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Measurement:
            for f in formset.forms:
                if f.instance.pk is None:
                    f.instance.recorded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Metric)
class MetricAdmin(EditorialAdmin):
    list_display = ("name", "short_name", "unit", "decimal_places", "higher_is_better", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "short_name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Measurement)
class MeasurementAdmin(figures_admin.RecordFiguresMixin, EditorialAdmin):
    list_display = (
        "framework", "metric", "display_value", "as_of", "stale", "source_name", "collector", "recorded_by",
        "recorded_at",
    )
    list_filter = (figures_admin.StaleFilter, "collector", "metric", "framework", "source_name")
    list_select_related = ("framework", "metric", "recorded_by")
    search_fields = ("framework__name", "metric__name", "source_name", "note")
    autocomplete_fields = ("framework", "metric")
    date_hierarchy = "as_of"
    readonly_fields = ("recorded_by", "recorded_at", "collector", "collected_at")
    fields = (
        "framework", "metric", "value", "as_of", "source_name", "source_url", "note", "recorded_by", "recorded_at",
        "collector", "collected_at",
    )

    @admin.display(description="value", ordering="value")
    def display_value(self, obj):
        return obj.display_value

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class OrganizationAdoptionInline(AdoptionInline):
    fk_name = "organization"
    autocomplete_fields = ("framework", "other_framework")
    fields = ("framework", "relation", "other_framework", "note", "source_name", "source_url", "as_of")


@admin.register(Organization)
class OrganizationAdmin(EditorialAdmin):
    list_display = ("name", "url", "frameworks")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OrganizationAdoptionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("adoptions__framework")

    @admin.display(description="Frameworks")
    def frameworks(self, obj):
        return ", ".join(a.framework.name for a in obj.adoptions.all())


@admin.register(Adoption)
class AdoptionAdmin(TouchesParentAdmin, EditorialAdmin):
    parent_field = "framework"
    list_display = ("organization", "framework", "relation", "other_framework", "note")
    list_filter = ("relation", "framework")
    list_select_related = ("organization", "framework", "other_framework")
    search_fields = ("organization__name", "framework__name", "note")
    autocomplete_fields = ("organization", "framework", "other_framework")


@admin.register(Capability)
class CapabilityAdmin(EditorialAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Support)
class SupportAdmin(TouchesParentAdmin, EditorialAdmin):
    parent_field = "framework"
    list_display = ("framework", "capability", "level", "package")
    list_filter = ("level", "capability", "framework")
    list_select_related = ("framework", "capability")
    search_fields = ("framework__name", "capability__name", "package")
    autocomplete_fields = ("framework", "capability")

