"""The API of spreadsheet imports: a template per kind, and a file checked (`dry_run`) or imported,
answered with the report of every row."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip
from platform_core.spreadsheets import xlsx_response
from platform_core.uploads import IMPORT

from .import_jobs import import_file
from .imports import template_sheets
from .models import ImportJob
from .permissions import is_union_admin

KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=ImportJob.Kind.values, description="units, studios or people"
)


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text=f".xlsx or .csv (UTF-8 or GBK), up to {IMPORT.max_bytes} bytes")
    dry_run = serializers.BooleanField(
        default=False, help_text="Check every row and report, writing nothing (the preview)."
    )


class CellErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row as the spreadsheet numbers it (the header is row 1).")
    column = serializers.CharField(help_text="The column's header; empty for the file as a whole.")
    message = serializers.CharField()


class RowErrorOutput(serializers.Serializer):
    column = serializers.CharField()
    message = serializers.CharField()


class RowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    ok = serializers.BooleanField()
    values = serializers.ListField(child=serializers.JSONField(), help_text="In the order of `columns`.")
    # DRF moves declared fields off the class, so this name does not shadow Serializer.errors.
    errors = RowErrorOutput(many=True)  # type: ignore[assignment]


class CreatedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImportReportOutput(serializers.Serializer):
    job_id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    file = serializers.CharField(source="filename")
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    ok = serializers.BooleanField()
    row_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    created_count = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    errors = CellErrorOutput(many=True)  # type: ignore[assignment]
    rows = RowOutput(many=True)
    created = CreatedOutput(many=True)


def _report(job: ImportJob, *, dry_run: bool) -> dict:
    full = getattr(job, "full_report", None)
    report = full.as_dict() if full is not None else job.report
    return ImportReportOutput(
        {
            "pk": job.pk,
            "kind": job.kind,
            "status": job.status,
            "filename": job.filename,
            "sha256": job.sha256,
            "dry_run": dry_run,
            **{key: report.get(key, default) for key, default in _REPORT_DEFAULTS.items()},
        }
    ).data


_REPORT_DEFAULTS: dict = {
    "ok": False,
    "row_count": 0,
    "error_count": 0,
    "created_count": 0,
    "columns": [],
    "errors": [],
    "rows": [],
    "created": [],
}


class ImportApi(APIView):
    """POST a spreadsheet of units, studios or people. All or nothing: any bad row and nothing is
    written; the report names each bad row and column."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[KIND_PARAMETER],
        request={"multipart/form-data": ImportInput},
        responses={
            200: OpenApiResponse(ImportReportOutput, description="Checked (dry run): the report."),
            201: OpenApiResponse(ImportReportOutput, description="Imported: the report, what was created."),
            400: OpenApiResponse(ImportReportOutput, description="Refused, nothing written: the report."),
        },
    )
    def post(self, request, kind: str):
        payload = ImportInput(data=request.data)
        payload.is_valid(raise_exception=True)
        dry_run = payload.validated_data["dry_run"]
        job = import_file(
            actor=request.user,
            kind=kind,
            upload=payload.validated_data["file"],
            dry_run=dry_run,
            ip_address=client_ip(request),
        )
        answer: int
        if job.status == ImportJob.Status.REFUSED:
            answer = status.HTTP_400_BAD_REQUEST
        elif job.status == ImportJob.Status.DONE:
            answer = status.HTTP_201_CREATED
        elif job.status == ImportJob.Status.CHECKED:
            answer = status.HTTP_200_OK
        else:
            answer = status.HTTP_500_INTERNAL_SERVER_ERROR
        body = _report(job, dry_run=dry_run)
        if answer >= 400:
            body["detail"] = job.get_status_display()
        return Response(body, status=answer)


class ImportTemplateApi(APIView):
    """The template of a kind: the headers, one example row, and a sheet of notes per column."""

    @extend_schema(
        parameters=[KIND_PARAMETER],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
    )
    def get(self, request, kind: str):
        if not is_union_admin(request.user):
            self.permission_denied(request, message="Only a union admin may import.")
        return xlsx_response(f"{kind}-template.xlsx", template_sheets(kind))
