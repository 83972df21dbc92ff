"""Media storage that never leaves half a file behind.

Django's FileSystemStorage streams into the final path, so a disk that fills
up mid-write leaves a truncated file under a real name. Here the bytes go to
a hidden temporary file beside the target first and are renamed into place
only once completely written; on any error the temporary file is removed and
the OSError propagates (the admin turns it into a form error, see
``compare_site.admin_uploads``).
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class _WrittenFile:
    """What FileSystemStorage._save moves (renames) instead of streaming."""

    def __init__(self, path: str):
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        if hasattr(content, "temporary_file_path"):
            return super()._save(name, content)
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        fd, temp_path = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as fh:
                self._write(fh, content)
                fh.flush()
                os.fsync(fh.fileno())
            return super()._save(name, _WrittenFile(temp_path))
        except BaseException:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            raise

    def _write(self, fh, content) -> None:
        if hasattr(content, "seek"):
            content.seek(0)
        for chunk in content.chunks():
            fh.write(chunk.encode() if isinstance(chunk, str) else chunk)
