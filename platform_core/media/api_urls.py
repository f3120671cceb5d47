from django.urls import path

from . import api

urlpatterns = [
    path("media/uploads/", api.MediaUploadsApi.as_view(), name="api-media-uploads"),
    path("media/uploads/<uuid:pk>/", api.MediaUploadApi.as_view(), name="api-media-upload"),
    # The one view whose request body is a raw chunk, bounded by MEDIA_CHUNK_BYTES
    # (platform_core/uploads.py CHUNK_VIEWS), not by MAX_REQUEST_BODY_BYTES.
    path(
        "media/uploads/<uuid:pk>/chunks/", api.MediaUploadChunkApi.as_view(), name="api-media-upload-chunks"
    ),
    path(
        "media/uploads/<uuid:pk>/complete/",
        api.MediaUploadCompleteApi.as_view(),
        name="api-media-upload-complete",
    ),
]
