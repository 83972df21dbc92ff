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


@admin.register(Category)
class CategoryAdmin(EditorialAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(LockedAdmin, EditorialAdmin):
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
class SectionAdmin(TouchesParentAdmin, EditorialAdmin):
    parent_field = "article"
    list_display = ("__str__", "article", "kind")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("heading", "body", "article__title")
    autocomplete_fields = ("article", "framework", "metric", "metrics", "capabilities")
