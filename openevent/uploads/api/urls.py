from django.urls import path

from .views import UploadFilesView, UploadImageView

urlpatterns = [
    path("upload/image", UploadImageView.as_view(), name="upload-image"),
    # Open Event serves both routes alike.
    path("upload/file", UploadFilesView.as_view(), name="upload-file"),
    path("upload/files", UploadFilesView.as_view(), name="upload-files"),
]
