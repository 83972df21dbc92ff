import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from reversion.errors import RevertError
from reversion.models import Version

from editorial.history_admin import EditorialAdmin
from editorial.locking import LockedAdmin
from editorial.parents import TouchesParentAdmin

from . import preview, services
from .forms import SectionForm, SectionFormSet
from .models import Article, ArticleFramework, Category, Section
from .section_preview import PreviewProblem, render_problems, render_section_preview


class ArticleFrameworkInline(admin.StackedInline):
    model = ArticleFramework
    fields = ("position", "framework")
    autocomplete_fields = ("framework",)
    extra = 0
    verbose_name_plural = "compared frameworks (in order)"


class SectionInline(admin.StackedInline):
    """Sections that show only their kind's fields, fold to a summary line, reorder by drag or keyboard and
    preview live (static/js/section_editor.js). Without JavaScript every part still works: the kind's fields
    show through CSS, positions are typed, and the form validates by kind."""

    model = Section
    form = SectionForm
    formset = SectionFormSet
    template = "admin/articles/section/edit_inline.html"
    fields = (
        ("position", "kind"),
        "heading",
        "body",
        "attribution",
        "framework",
        "metric",
        "metrics",
        "capabilities",
        "caption",
    )
    autocomplete_fields = ("framework", "metric", "metrics", "capabilities")
    extra = 1
    show_change_link = True
    verbose_name_plural = "sections"

    class Media:
        css = {"all": ("css/section_editor.css",)}
        js = ("js/section_editor.js",)


STATES_BEFORE_RESTORE = "_guide_states_before_restore"


class RecordsGuideChanges(admin.ModelAdmin):
    """Saves through this admin record what readers of a live guide see change (``services.record_guide_changes``).

    The guides concerned are read just before the save and again after it, inlines and many-to-many
    fields included. Restoring or recovering a revision rewrites the rows before the form is saved, so
    there the first reading is taken before the restore.
    """

    guide_field = ""  # the foreign key to the guide; blank when the object is the guide

    def guide_ids(self, obj, initial: dict) -> set[int]:
        """The guides a save of ``obj`` may change (``initial``: the form's data before the edit)."""
        if not self.guide_field:
            return {obj.pk} - {None}
        return {getattr(obj, f"{self.guide_field}_id"), initial.get(self.guide_field)} - {None}

    def guide_ids_of_version(self, version: Version) -> set[int]:
        """The guides a restore of ``version`` may change: its own, and the one the object is in now."""
        pk = int(version.object_id)
        if not self.guide_field:
            return {pk}
        attname = f"{self.guide_field}_id"
        current = self.model._default_manager.filter(pk=pk).values_list(attname, flat=True)
        return {version.field_dict.get(attname), *current} - {None}

    def _read_before_restore(self, request, version_id) -> None:
        if request.method != "POST":
            return  # a revision shown, not restored: reversion rolls it back
        version = Version.objects.filter(pk=version_id).first()
        if version is None:
            return
        try:
            ids = self.guide_ids_of_version(version)
        except (RevertError, ValueError, LookupError):
            return  # reversion answers for a revision it cannot read
        setattr(request, STATES_BEFORE_RESTORE, services.guide_states(ids))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._read_before_restore(request, version_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._read_before_restore(request, version_id)
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        before = getattr(request, STATES_BEFORE_RESTORE, None)
        if before is None:
            before = services.guide_states(self.guide_ids(obj, form.initial if change else {}))
        form.guide_states_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = form.guide_states_before
        ids = set(before) | self.guide_ids(form.instance, form.initial if change else {})
        services.record_guide_changes(before, services.guide_states(ids))


@admin.register(Category)
class CategoryAdmin(EditorialAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(RecordsGuideChanges, LockedAdmin, EditorialAdmin):
    list_display = ("title", "status", "visibility", "publish_at", "byline", "updated_at")
    list_filter = ("status", "categories", "frameworks")
    search_fields = ("title", "slug", "standfirst", "summary")
    prepopulated_fields = {"slug": ("title",)}
    # Plain checkboxes, not filter_horizontal: a guide's topics are few, and the two-box widget's help
    # icons and the tabular inline's unlabelled cells fail axe (aria-prohibited-attr, label, empty headers).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    date_hierarchy = "publish_at"
    readonly_fields = ("created_at", "updated_at", "preview_link", "share_link")
    fieldsets = (
        (None, {"fields": ("title", "slug", "standfirst", "summary", "byline", "categories")}),
        ("Publishing", {"fields": ("status", "publish_at", "preview_link", "share_link", "created_at", "updated_at")}),
    )
    inlines = (ArticleFrameworkInline, SectionInline)
    actions = ("publish_selected", "unpublish_selected")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/section-preview/",
                self.admin_site.admin_view(require_POST(self.section_preview_view)),
                name="%s_%s_section_preview" % info,
            ),
        ] + super().get_urls()

    def section_preview_view(self, request, object_id):
        """One section of the guide as readers will see it, from its unsaved fields: an HTML fragment.

        Staff only (admin_view), CSRF-checked, POST only; the editor must be able to change the guide.
        Fields that do not make a section answer 400 with a fragment saying what is wrong.
        """
        # A read, not a save: ModelAdmin's get_object, not LockedAdmin's, which locks the row on a POST with
        # select_for_update and so needs the save's transaction (PostgreSQL refuses it outside one).
        article = admin.ModelAdmin.get_object(self, request, object_id)
        if article is None:
            raise Http404("No such guide.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            html = render_section_preview(article, request.POST, request.POST.get("prefix") or None)
        except PreviewProblem as problem:
            return HttpResponse(render_problems(problem.problems), status=400)
        return HttpResponse(html)

    @admin.display(description="Readers see it")
    def visibility(self, obj):
        if obj.status != Article.Status.PUBLISHED:
            return "No (draft)"
        if obj.publish_at > timezone.now():
            return "Scheduled"
        return "Yes"

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the guide to preview it."
        return format_html('<a href="{}">Open the guide as readers will see it</a>', obj.get_absolute_url())

    @admin.display(description="Link for a reviewer")
    def share_link(self, obj):
        if not obj.pk:
            return "Save the guide to get a link."
        if obj.is_live:
            return "Published: share the guide's own address."
        days = settings.PREVIEW_LINK_MAX_AGE // 86400
        return format_html(
            '<a href="{}" class="share-preview">Signed preview link</a>'
            '<div class="help">Copy this link for a reviewer: it shows the guide as it stands, '
            "without a login, for {} day(s).</div>",
            preview.preview_url(obj),
            days,
        )

    @admin.action(description="Publish the selected guides", permissions=["change"])
    def publish_selected(self, request, queryset):
        reversion.set_comment("Published from the list.")
        live, scheduled = services.publish(queryset)
        self.message_user(
            request, f"{live} guide(s) published now, {scheduled} scheduled for their publish time.", messages.SUCCESS
        )

    @admin.action(description="Unpublish the selected guides (back to draft)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        reversion.set_comment("Moved back to draft from the list.")
        count = services.unpublish(queryset)
        self.message_user(request, f"{count} guide(s) moved back to draft.", messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(RecordsGuideChanges, TouchesParentAdmin, EditorialAdmin):
    parent_field = guide_field = "article"
    list_display = ("__str__", "article", "kind")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("heading", "body", "article__title")
    autocomplete_fields = ("article", "framework", "metric", "metrics", "capabilities")

    def delete_model(self, request, obj):
        before = services.guide_states({obj.article_id})
        super().delete_model(request, obj)
        services.record_guide_changes(before, services.guide_states(before))

    def delete_queryset(self, request, queryset):
        before = services.guide_states(set(queryset.values_list("article_id", flat=True)))
        super().delete_queryset(request, queryset)
        services.record_guide_changes(before, services.guide_states(before))
