import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from editorial.history_admin import EditorialAdmin
from editorial.locking import LockedAdmin
from editorial.parents import TouchesParentAdmin

from . import preview, services
from .models import Article, ArticleFramework, Category, Section


class ArticleFrameworkInline(admin.TabularInline):
    model = ArticleFramework
    fields = ("position", "framework")
    autocomplete_fields = ("framework",)
    extra = 0
    verbose_name_plural = "compared frameworks (in order)"


class SectionInline(admin.StackedInline):
    model = Section
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
    extra = 0
    show_change_link = True
    verbose_name_plural = "sections (ordered by position; renumber to reorder)"


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
    filter_horizontal = ("categories",)
    date_hierarchy = "publish_at"
    readonly_fields = ("created_at", "updated_at", "preview_link", "share_link")
    fieldsets = (
        (None, {"fields": ("title", "slug", "standfirst", "summary", "byline", "categories")}),
        ("Publishing", {"fields": ("status", "publish_at", "preview_link", "share_link", "created_at", "updated_at")}),
    )
    inlines = (ArticleFrameworkInline, SectionInline)
    actions = ("publish_selected", "unpublish_selected")

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
