"""办件进度查询: public tracking by number and query code, without signing in and without personal data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from onewindow.cases import limits, selectors
from onewindow.cases.api.schemas import TrackOut
from onewindow.core.identity import canonical_number

track_router = Router(tags=["办件进度查询 tracking"])


@track_router.get("/{number}", response=TrackOut, auth=None, summary="办件进度查询（办件编号＋查询码，无需登录）")
def track(request: HttpRequest, number: str, code: str = Query("", max_length=limits.QUERY_CODE, description="查询码")):
    """Progress of a case by its number and query code (查询码); both are taken as typed, full-width or spaced."""
    return selectors.public_tracking(canonical_number(number), canonical_number(code))
