"""申请材料 opened from the case page (staff) and from "my case" (the applicant): served by the application, never
from a public media address, to those who may see the case and to nobody else."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.models import CaseMaterial
from onewindow.cases.uploads import ALLOWED_TYPES
from onewindow.core.errors import NotFound

# Opened in the browser: types a browser shows itself and that cannot run script. Anything else is a download.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
_UNSAFE = re.compile(r'[\\/:*?"<>|;,=\x00-\x1f\x7f]+')


def safe_filename(material: CaseMaterial) -> str:
    """The name the browser is given: the uploaded name's stem (or the material's name) without path separators,
    quotes or control characters, and the extension of the type sniffed from the content — never the claimed one."""
    stem = PurePath((material.original_name or "").replace("\\", "/")).stem or material.name
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem)).strip(" ._") or "material"
    extension = ALLOWED_TYPES.get(material.content_type, ("", ""))[0]
    return f"{stem[:80]}{extension}"


@require_GET
def material_file(request, number: str, material_id: int):
    """One uploaded material of a case: inline for PDF and images, a download for anything else (OFD); 404 to
    whoever may not see the case, whatever the address they try (`selectors.material_file_for`)."""
    material = selectors.material_file_for(request.user, number, material_id)
    content_type = material.content_type if material.content_type in ALLOWED_TYPES else "application/octet-stream"
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise NotFound(_("材料文件已不在存储中"), fields={"material": "missing"}) from None
    response = FileResponse(handle, content_type=content_type,
                            as_attachment=content_type not in INLINE_TYPES, filename=safe_filename(material))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
