"""The shared kernel's public services: accounts and their verified identity (实名), API tokens, each the outermost, durable transaction (core.kit.service).
The command line and the admin's actions call these."""

from __future__ import annotations

from onewindow.core import acts
from onewindow.core.kit import service

create_user = service(acts.create_user)
set_verified_identity = service(acts.set_verified_identity)
create_token = service(acts.create_token)
revoke_token = service(acts.revoke_token)
revoke_tokens = service(acts.revoke_tokens)
