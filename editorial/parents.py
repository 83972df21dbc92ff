"""A child edited on its own admin page bumps its parent's ``updated_at``.

Sections, support rows and adoptions are also edited as inlines of their
parent. Bumping the parent's lock token (see ``editorial.locking``) when
one of them is saved or deleted on its own page means a parent form opened
before that edit cannot silently overwrite it through its inlines.
"""

from django.contrib import admin
from django.utils import timezone


class TouchesParentAdmin(admin.ModelAdmin):
    """For a child model edited on its own page; ``parent_field`` names the FK to bump."""

    parent_field: str = ""

    def _touch_parent(self, obj) -> None:
        field = obj._meta.get_field(self.parent_field)
        field.related_model._default_manager.filter(pk=getattr(obj, field.attname)).update(
            updated_at=timezone.now()
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._touch_parent(obj)

    def delete_model(self, request, obj):
        self._touch_parent(obj)
        super().delete_model(request, obj)
