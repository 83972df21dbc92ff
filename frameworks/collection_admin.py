"""Admin screens for collection: the review queue, runs and their results, "Collect now".

Collection itself never runs in a request: these screens queue a
``CollectionRun`` and a background task (``frameworks.tasks``) that the
worker (``make worker``) picks up.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from . import services
from .collectors import identifiers
from .collectors import run as collection
from .models import CollectionResult, CollectionRun, Framework, ReviewItem, SourceState
from .tasks import fetch_package


def queue_collection(request, frameworks=()) -> CollectionRun:
    """Queue a run for ``frameworks`` (every framework when empty) and tell the editor."""
    run = collection.queue_run(frameworks=frameworks, user=request.user, trigger="admin")
    if not frameworks:
        who = "every framework"
    else:
        who = ", ".join(fw.name for fw in frameworks[:3]) + (" …" if len(frameworks) > 3 else "")
    messages.success(
        request,
        format_html(
            'Collection queued for {} (<a href="{}">run {}</a>). The worker collects in the background; '
            "figures that look wrong wait in the review queue.",
            who,
            run.get_absolute_url(),
            run.pk,
        ),
    )
    return run


class FrameworkCollectionMixin:
    """On the framework admin: identifiers, collection state, "Collect now" for one or for the selected."""

    actions = ("collect_selected",)
    change_list_template = "admin/frameworks/framework/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("from-package/", self.admin_site.admin_view(self.from_package_view), name="%s_%s_from_package" % info),
            path(
                "from-package/<str:result_id>/",
                self.admin_site.admin_view(self.from_package_result_view),
                name="%s_%s_from_package_result" % info,
            ),
            path(
                "<path:object_id>/collect/",
                self.admin_site.admin_view(require_POST(self.collect_view)),
                name="%s_%s_collect" % info,
            ),
            *super().get_urls(),
        ]

    def collect_view(self, request, object_id):
        framework = get_object_or_404(Framework, pk=unquote(object_id))
        if not self.has_change_permission(request, framework):
            raise PermissionDenied
        queue_collection(request, [framework])
        return HttpResponseRedirect(reverse("admin:frameworks_framework_change", args=[framework.pk]))

    def from_package_view(self, request):
        """Step 1: the editor names a package; the worker asks the package index about it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PackageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            result = fetch_package.enqueue(form.cleaned_data["package"])
            return HttpResponseRedirect(
                reverse("admin:frameworks_framework_from_package_result", args=[result.id])
            )
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": "Add a framework from its package name"}
        return TemplateResponse(request, "admin/frameworks/framework/from_package.html", context)

    def from_package_result_view(self, request, result_id):
        """Step 2: once the worker has answered, the add form opens pre-filled, for the editor to review."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            result = fetch_package.get_result(result_id)
        except (TaskResultDoesNotExist, ValueError, ValidationError):
            messages.error(request, "That lookup is unknown or expired; name the package again.")
            return HttpResponseRedirect(reverse("admin:frameworks_framework_from_package"))
        if result.status == TaskResultStatus.SUCCESSFUL:
            answer = result.return_value
            if answer.get("ok"):
                messages.info(request, "Filled in from the package index: check every field before saving.")
                return HttpResponseRedirect(
                    reverse("admin:frameworks_framework_add") + "?" + urlencode(answer["initial"])
                )
            messages.error(request, answer.get("error") or "The package index gave no usable answer.")
            return HttpResponseRedirect(reverse("admin:frameworks_framework_from_package"))
        if result.status == TaskResultStatus.FAILED:
            messages.error(request, "The lookup failed; try again in a moment.")
            return HttpResponseRedirect(reverse("admin:frameworks_framework_from_package"))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "waiting": True,
                   "title": "Asking the package index…", "refresh": request.get_full_path()}
        return TemplateResponse(request, "admin/frameworks/framework/from_package.html", context)

    @admin.action(description="Collect figures now for the selected frameworks", permissions=["change"])
    def collect_selected(self, request, queryset):
        queue_collection(request, list(queryset))

    @admin.display(description="Collection state")
    def collection_state(self, obj):
        if not obj.pk:
            return "Save the framework first."
        states = list(obj.source_states.all())
        if not states:
            return "Not collected yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {}</li>",
                ((state.get_source_display(), _state_summary(state)) for state in states),
            ),
        )


class PackageForm(forms.Form):
    package = forms.CharField(
        label="Package name on PyPI", max_length=100, validators=[identifiers.validate_pypi_package],
        help_text="e.g. fastapi. The form that follows is filled from the package index; nothing is saved yet.",
    )

    def clean_package(self):
        name = self.cleaned_data["package"]
        existing = Framework.objects.filter(pypi_package__iexact=name).first()
        if existing:
            raise ValidationError(f"{existing.name} already names this package.", code="exists")
        return name


def _state_summary(state: SourceState) -> str:
    if state.gone:
        return f"stopped: {state.error or 'not found'} (change the identifier to try again)"
    if state.failing_since:
        return f"failing since {timezone.localtime(state.failing_since):%-d %b %Y %H:%M}: {state.error}"
    if state.succeeded_at:
        return f"last collected {timezone.localtime(state.succeeded_at):%-d %b %Y %H:%M}"
    return "not collected yet"


class ReviewStatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits; decided items are a click away."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ReviewItem.Status.choices, ("all", "All")]

    def choices(self, changelist):
        current = self.value() or ReviewItem.Status.WAITING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ReviewItem.Status.WAITING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("framework", "subject", "current", "proposed", "reason", "collected_at", "status")
    list_filter = (ReviewStatusFilter, "reason", "kind", "source")
    list_select_related = ("framework", "metric")
    search_fields = ("framework__name", "field", "proposed")
    actions = ("approve_selected", "reject_selected")
    change_form_template = "admin/frameworks/reviewitem/change_form.html"
    view_on_site = False
    readonly_fields = (
        "framework", "kind", "subject", "current", "proposed", "as_of", "reason", "explanation",
        "source_link", "collected_at", "status", "decided_by", "decided_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # decisions are kept

    @admin.display(description="what")
    def subject(self, obj):
        return obj.metric.name if obj.metric_id else obj.field.replace("_", " ")

    @admin.display(description="source")
    def source_link(self, obj):
        return format_html('<a href="{}" rel="nofollow">{}</a>', obj.source_url, obj.source_name)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and ({"_approve", "_reject"} & set(request.POST)):
            item = get_object_or_404(ReviewItem, pk=unquote(object_id))
            if not self.has_change_permission(request, item):
                raise PermissionDenied
            decide = services.approve if "_approve" in request.POST else services.reject
            self._report(request, decide([item], user=request.user))
            return HttpResponseRedirect(reverse("admin:frameworks_reviewitem_changelist"))
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Approve the selected: record them", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._report(request, services.approve(list(queryset), user=request.user))

    @admin.action(description="Reject the selected: set them aside", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._report(request, services.reject(list(queryset), user=request.user))

    def _report(self, request, outcome: services.ReviewOutcome) -> None:
        if outcome.approved:
            self.message_user(request, f"{outcome.approved} approved and recorded.", messages.SUCCESS)
        if outcome.rejected:
            self.message_user(request, f"{outcome.rejected} rejected.", messages.SUCCESS)
        for reason in outcome.skipped or ():
            self.message_user(request, f"Not approved: {reason}", messages.WARNING)
        if not (outcome.approved or outcome.rejected or outcome.skipped):
            self.message_user(request, "Nothing was waiting among the selected items.", messages.INFO)


class CollectionResultInline(admin.TabularInline):
    model = CollectionResult
    fields = ("framework", "source", "outcome", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "results (problems first)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        problems_first = Case(
            *(When(outcome=outcome, then=Value(rank)) for rank, outcome in enumerate(("failed", "queued", "skipped"))),
            default=Value(3),
        )
        return (
            super().get_queryset(request).select_related("framework")
            .alias(rank=problems_first).order_by("rank", "framework__name", "source")
        )


@admin.register(CollectionRun)
class CollectionRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "trigger", "queued_at", "started_at", "finished_at", "checked", "recorded", "unchanged",
        "queued_for_review", "failed",
    )
    list_filter = ("status", "trigger")
    change_list_template = "admin/frameworks/collectionrun/change_list.html"
    view_on_site = False
    readonly_fields = (
        "status", "trigger", "requested_by", "sources", "dry_run", "queued_at", "started_at", "finished_at",
        "checked", "recorded", "unchanged", "queued_for_review", "failed", "error",
    )
    fields = readonly_fields
    inlines = (CollectionResultInline,)

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "collect-all/",
                self.admin_site.admin_view(require_POST(self.collect_all_view)),
                name="frameworks_collectionrun_collect_all",
            ),
            *super().get_urls(),
        ]

    def collect_all_view(self, request):
        if not self.has_view_permission(request) or not request.user.has_perm("frameworks.change_framework"):
            raise PermissionDenied
        queue_collection(request)
        return HttpResponseRedirect(reverse("admin:frameworks_collectionrun_changelist"))

