"""``EditorialAdmin``: every admin save is a revision, with history, compare, restore and recover.

Built on django-reversion's ``VersionAdmin`` (revisions with author and
comment, restore, "Recover deleted …"). It adds a page that compares any two
revisions field by field, and a snapshot taken just before a delete, so
that recovering an object also brings back children added since its last
save.
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from .admin_search import BoundedSearchAdmin
from .revisions import diff_versions, snapshot


class EditorialAdmin(BoundedSearchAdmin, VersionAdmin):
    """Revisions with author and comment, a diff between any two, restore and recover; bounded search."""

    object_history_template = "admin/editorial/object_history.html"
    history_latest_first = True

    def _snapshot_before_delete(self, request, objects) -> None:
        # The latest revision of a deleted object is what "recover" restores:
        # take it now, so children added since the last save come back too.
        kept = [extra for obj in objects for extra in self.kept_on_delete(obj)]
        snapshot([*objects, *kept], user=request.user, comment="Deleted.")

    def kept_on_delete(self, obj):
        """Objects deleted with ``obj`` that recovery should bring back but a restore must not touch."""
        return ()

    def delete_model(self, request, obj):
        self._snapshot_before_delete(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._snapshot_before_delete(request, list(queryset))
        super().delete_queryset(request, queryset)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="%s_%s_compare" % info,
            ),
        ] + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        versions = (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("-pk")
        )
        context = {
            "versions": versions,
            "object_id": object_id,
            "compare_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_compare",
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        try:
            ids = sorted({int(request.GET["a"]), int(request.GET["b"])})
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.")
        if len(ids) != 2:
            raise Http404("Choose two different revisions to compare.")
        old = get_object_or_404(versions.select_related("revision__user"), pk=ids[0])
        new = get_object_or_404(versions.select_related("revision__user"), pk=ids[1])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "object_id": object_id,
            "title": f"Compare revisions of {old.object_repr}",
            "old": old,
            "new": new,
            "rows": diff_versions(old, new),
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(object_id)]
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/compare.html", context)
