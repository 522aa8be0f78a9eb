"""Rate limits of online booking (网上预约), checked at the edge (API and page) before the booking service runs.

Counters live in the cache (django-ratelimit, fixed windows): per client IP (`RATELIMIT_IP_META_KEY`), per
identity number (its keyed digest, never the number) and per mobile. A booking that will send a code (the person
is not signed in as the booked identity's 实名 account) also counts against the SMS limits of its mobile and IP.
Rates are settings: HALL_BOOKING_RATE_PER_IP, HALL_BOOKING_RATE_PER_IDENTITY, HALL_SMS_RATE_PER_MOBILE,
HALL_SMS_RATE_PER_IP ("N/m", "N/h", "N/d").
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from onewindow.core.errors import RateLimited
from onewindow.core.identity import is_valid_identity_number, normalize_identity_number
from onewindow.hall.acts.common import identity_key


def _limited(request: HttpRequest, group: str, rate: str, value: str | None = None) -> bool:
    key = "ip" if value is None else (lambda _group, _request: value)
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def check_booking_rate(request: HttpRequest, *, identity_number: str, mobile: str, sends_code: bool) -> None:
    """RateLimited (429 `rate_limited`) when this client, identity number or mobile booked (or was sent codes)
    too often; each check counts the attempt."""
    number = identity_number.strip().upper()
    if is_valid_identity_number(number):
        number = normalize_identity_number(number)
    checks = [("hall.book.ip", settings.HALL_BOOKING_RATE_PER_IP, None),
              ("hall.book.identity", settings.HALL_BOOKING_RATE_PER_IDENTITY, identity_key(number))]
    if sends_code:
        checks += [("hall.sms.ip", settings.HALL_SMS_RATE_PER_IP, None),
                   ("hall.sms.mobile", settings.HALL_SMS_RATE_PER_MOBILE, mobile.strip().replace(" ", ""))]
    for group, rate, value in checks:
        if _limited(request, group, rate, value):
            raise RateLimited("预约或验证码请求过于频繁，请稍后再试")
