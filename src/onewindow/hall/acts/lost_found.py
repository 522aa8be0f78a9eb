"""Lost and found acts (失物招领): register a found item, hand it back to its owner, dispose of it."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from onewindow.catalog.models import Hall
from onewindow.core import audit, kit
from onewindow.core.errors import IllegalTransition, InvalidInput
from onewindow.core.identity import mask_identity, mask_mobile, normalize_identity_number, normalize_mobile
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.hall.acts.common import require_hall_staff
from onewindow.hall.models import FoundItem, FoundItemKind, FoundItemState

_PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


@composable
def register_found_item(
    *,
    hall: Hall,
    description: str,
    found_place: str,
    found_at: dt.datetime,
    storage_place: str,
    by: User | None,
    photo: UploadedFile | None = None,
    finder_note: str = "",
    published: bool = True,
    kind: str = FoundItemKind.OTHER,
) -> FoundItem:
    """Register a found item (失物登记) of a `kind` (FoundItemKind); it is published without any personal data.
    InvalidInput (422) for a missing text, one beyond its column, an unknown kind, a time in the future."""
    require_hall_staff(by)
    fields = {}
    if kind not in FoundItemKind.values:
        fields["kind"] = "choice"
    for label, value, limit in (("description", description, 200), ("found_place", found_place, 100),
                                ("storage_place", storage_place, 100)):
        if not (value or "").strip():
            fields[label] = "required"
        elif len(value.strip()) > limit:
            fields[label] = "max_length"
    if fields:
        raise InvalidInput("请选择物品类别，填写物品描述、拾获地点和保管位置（不超过规定长度）", fields=fields)
    now, _ = kit.moment()
    if found_at > now + dt.timedelta(minutes=5):
        raise InvalidInput("拾获时间不能晚于现在", fields={"found_at": "future"})
    if photo is not None:
        if getattr(photo, "content_type", "") not in _PHOTO_TYPES:
            raise InvalidInput("照片须为 JPEG、PNG 或 WebP 图片", fields={"photo": "type"})
        if (photo.size or 0) > settings.MAX_UPLOAD_BYTES:
            raise InvalidInput("照片过大", fields={"photo": "size"})
    item = FoundItem.objects.create(
        hall=hall, kind=kind, description=description.strip(), found_place=found_place.strip(), found_at=found_at,
        storage_place=storage_place.strip(), finder_note=(finder_note or "").strip()[:100], published=published,
        registered_at=now, registered_by=by,
    )
    if photo is not None:
        suffix = _photo_suffix(photo.content_type or "")
        item.photo.save(f"{item.pk}-{secrets.token_hex(4)}{suffix}", photo, save=True)
    audit.record("found_item.register", obj=item, by=by, after={"description": item.description})
    return item


def _photo_suffix(content_type: str) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]


@composable
def hand_over_found_item(
    *,
    item: FoundItem,
    owner_name: str,
    identity_number: str,
    identity_checked: bool,
    by: User | None,
    mobile: str = "",
    at: dt.datetime | None = None,
) -> FoundItem:
    """Hand an item back to its owner (认领) after checking their identity card."""
    require_hall_staff(by)
    if not identity_checked:
        raise InvalidInput("请先核验领取人身份证件", fields={"identity_checked": "required"})
    if not (owner_name or "").strip():
        raise InvalidInput("请填写领取人姓名", fields={"owner_name": "required"})
    number = normalize_identity_number(identity_number, "identity_number")
    mobile_masked = mask_mobile(normalize_mobile(mobile)) if mobile else ""
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if item.state != FoundItemState.STORED:
        raise IllegalTransition(f"该物品当前为“{item.get_state_display()}”，不能再领取")
    item.state = FoundItemState.RETURNED
    item.owner_name = owner_name.strip()[:40]
    item.owner_identity_masked = mask_identity(number)
    item.owner_mobile_masked = mobile_masked
    item.returned_at = kit.moment(at)[0]
    item.returned_by = by
    item.published = False
    item.save()
    audit.record("found_item.return", obj=item, by=by, before={"state": FoundItemState.STORED},
                 after={"state": item.state, "owner": item.owner_identity_masked})
    return item


@composable
def dispose_found_item(*, item: FoundItem, by: User | None, reason: str) -> FoundItem:
    """Hand an unclaimed item over to the authorities or dispose of it (逾期处置), with a reason."""
    require_hall_staff(by)
    if not (reason or "").strip():
        raise InvalidInput("请填写处置原因", fields={"reason": "required"})
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if item.state != FoundItemState.STORED:
        raise IllegalTransition(f"该物品当前为“{item.get_state_display()}”，不能处置")
    item.state = FoundItemState.DISPOSED
    item.published = False
    item.save(update_fields=["state", "published"])
    audit.record("found_item.dispose", obj=item, by=by, before={"state": FoundItemState.STORED},
                 after={"state": item.state}, reason=reason.strip())
    return item
