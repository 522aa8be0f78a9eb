"""Text messages (短信) to mobiles through a pluggable backend, as Django's EMAIL_BACKEND does for mail.

`SMS_BACKEND` names a class with `send_messages(messages) -> int`. Two come with onewindow:
- `onewindow.core.sms.FileBackend` (default): each message is written to its own file under `SMS_FILE_PATH`
  (default `<ONEWINDOW_VAR_DIR>/sms`), for a center without an SMS gateway and for the demo;
- `onewindow.core.sms.MemoryBackend`: messages are appended to `onewindow.core.sms.outbox` (tests).
A gateway's own backend is a class with the same method, named in the setting.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    """One message to one mainland mobile number (11 digits)."""

    mobile: str
    text: str


outbox: list[TextMessage] = []


class MemoryBackend:
    """Keeps every message in `onewindow.core.sms.outbox` (for tests)."""

    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class FileBackend:
    """Writes each message to a file `<SMS_FILE_PATH>/<UTC time>-<mobile>-<random>.txt` (one message per file)."""

    def send_messages(self, messages: list[TextMessage]) -> int:
        folder = Path(getattr(settings, "SMS_FILE_PATH", Path(settings.VAR_DIR) / "sms"))
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{message.mobile}-{secrets.token_hex(3)}.txt"
            path.write_text(f"To: {message.mobile}\n\n{message.text}\n", encoding="utf-8")
        return len(messages)


def get_backend():
    """An instance of the backend `SMS_BACKEND` names."""
    return import_string(settings.SMS_BACKEND)()


def send_sms(mobile: str, text: str) -> int:
    """Send one message now; returns how many were sent (1)."""
    return get_backend().send_messages([TextMessage(mobile=mobile, text=text)])


def send_sms_on_commit(mobile: str, text: str) -> None:
    """Send one message once the current transaction commits (never for an act that rolls back)."""
    transaction.on_commit(lambda: send_sms(mobile, text))
