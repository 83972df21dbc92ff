"""Admin forms that survive a storage failure during an upload.

When the media disk is full (or the storage fails otherwise) while a change
form saves, the admin's transaction rolls back, so no row is half-saved and
the storage leaves no partial file (see ``editorial.storage``). Instead
of a 500, the editor gets the form back, with what they typed and an error
that says what happened.
"""

import errno
import logging

from django.contrib import admin

logger = logging.getLogger(__name__)

STORAGE_ERRORS = {
    errno.ENOSPC: "The server's disk is full",
    errno.EDQUOT: "The server's storage quota is used up",
    errno.EROFS: "The server's storage is read-only",
    errno.EIO: "The server's storage failed",
    errno.EACCES: "The server may not write the file",
}


class StorageErrorsAdminMixin(admin.ModelAdmin):
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as exc:
            if request.method != "POST" or exc.errno not in STORAGE_ERRORS:
                raise
            logger.error("Upload could not be stored: %s", exc)
            request._storage_error = (
                f"{STORAGE_ERRORS[exc.errno]}: the uploaded file could not be stored, so nothing was saved. "
                "Your other changes are still in the form below; try again later or tell an administrator."
            )
            for upload in request.FILES.values():
                upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "_storage_error", None)
        if not error:
            return form_class

        class StorageFailedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                self.add_error(None, error)
                return cleaned_data

        return StorageFailedForm
