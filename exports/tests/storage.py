"""A storage that refuses to save, as a full disk or an unreachable bucket would."""
from django.core.files.storage import FileSystemStorage


class RefusingStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError("No space left on device")
