"""How 一件事 learns what the case engine did: the engine appends every act to the audit chain, and the
`post_save` of that audit event (inside the engine's transaction) is the signal this app listens to.

Case rows are updated with `UPDATE … WHERE version = …`, which sends no model signal; the audit event is the
one row every act is sure to write, named `case.<action>`, so it is the dependable hook.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from onewindow.core.models import AuditEvent

DECISIONS = {"case.approve": True, "case.deny": False, "case.withdraw": False, "case.terminate": False,
             "case.refuse": False}


def connect() -> None:
    """Listen to the audit chain (called once from the app config)."""
    post_save.connect(case_event, sender=AuditEvent, dispatch_uid="bundles.case_events")


def case_event(sender, instance: AuditEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created or instance.object_type != "cases.case":
        return
    action = instance.action
    if action not in DECISIONS and action not in ("case.request_correction", "case.issue_result"):
        return
    from onewindow.bundles import services
    from onewindow.cases.models import Case

    case = Case.objects.select_related("item_version", "department").filter(pk=int(instance.object_id)).first()
    if case is None:
        return
    if action in DECISIONS:
        services.on_case_decided(case, approved=DECISIONS[action])
    elif action == "case.request_correction":
        services.on_case_correction(case, by=instance.actor)
    else:
        services.on_result_issued(case)
