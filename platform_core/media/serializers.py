from __future__ import annotations

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from rest_framework import serializers

from .models import MediaFile


class FileNameField(serializers.CharField):
    """The name as the client's file system gave it: control characters (NUL included) are not
    refused here but removed by the upload policy's clean_file_name, as for every other upload."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]


class UploadStartInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaFile.Kind.choices)
    name = FileNameField(
        max_length=1000, trim_whitespace=False, help_text="The file's name with its extension."
    )
    size = serializers.IntegerField(min_value=1, max_value=2**53, help_text="The whole file's size in bytes.")
    content_type = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="The type the browser gives."
    )


class UploadOutput(serializers.ModelSerializer):
    offset = serializers.IntegerField(source="received", help_text="Bytes received: the next chunk's offset.")
    chunk_size = serializers.SerializerMethodField(help_text="The largest chunk one request may carry.")
    url = serializers.SerializerMethodField(help_text="Its state (GET, HEAD), or cancel it (DELETE).")
    chunk_url = serializers.SerializerMethodField(help_text="Where each chunk goes (PATCH).")
    complete_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaFile
        fields = [
            "id",
            "kind",
            "state",
            "name",
            "content_type",
            "size",
            "offset",
            "chunk_size",
            "url",
            "chunk_url",
            "complete_url",
            "created_at",
            "completed_at",
        ]

    def get_chunk_size(self, media: MediaFile) -> int:
        return int(settings.MEDIA_CHUNK_BYTES)

    def get_url(self, media: MediaFile) -> str:
        return reverse("api-media-upload", args=[media.pk])

    def get_chunk_url(self, media: MediaFile) -> str:
        return reverse("api-media-upload-chunks", args=[media.pk])

    def get_complete_url(self, media: MediaFile) -> str:
        return reverse("api-media-upload-complete", args=[media.pk])


class OffsetConflictOutput(serializers.Serializer):
    detail = serializers.CharField()
    offset = serializers.IntegerField()
