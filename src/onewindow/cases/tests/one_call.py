"""Helpers of the one-call API tests: a signed-in API client, multipart posts with a JSON payload and files,
and a snapshot of everything a refused use-case must leave untouched."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.cases.models import Case, CaseMaterial, CorrectionNotice, Notice
from onewindow.core.models import AuditEvent, DailySequence
from onewindow.core.services import create_token


def api_client(user) -> Client:
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post_multipart(client: Client, path: str, payload: dict | None, files: dict[str, bytes] | None = None,
                   **headers):
    """POST `payload` as the JSON part `payload` and each (name → bytes) as a part `files`."""
    data: dict = {"files": [SimpleUploadedFile(name, content) for name, content in (files or {}).items()]}
    if payload is not None:
        data["payload"] = json.dumps(payload, ensure_ascii=False, default=str)
    return client.post(path, data=data, **headers)


def stored_files(settings) -> list:
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def written(settings) -> tuple:
    """What a refused use-case must not change: cases, materials, notices, audit, case numbers, stored files."""
    return (
        Case.objects.count(), CaseMaterial.objects.count(), CorrectionNotice.objects.count(),
        AuditEvent.objects.count(), Notice.objects.count(),
        sorted(DailySequence.objects.values_list("name", "day", "last_value")), stored_files(settings),
    )
