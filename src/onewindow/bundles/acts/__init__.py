"""Composable acts of 一件事 (五个一): apply once, correct once, accept once, review in parallel, deliver once —
each runs inside its caller's transaction, checks who may act, moves the package through its lifecycle table at
the version that was read, drives the sub-cases through the case engine's acts (`cases.acts`) so that the package
and its sub-cases commit or roll back together, and audits. `reactions` follows what the case engine does on its
own (a department decides, asks for correction, issues a result) through the engine's declared events.

`bundles.services` publishes the acts a person performs as public services (one durable transaction each); the
demo composes the acts inside its own transaction.

Acts the one window does for every department (Art. 26 行政许可法: one office accepts for all) are done on a
sub-case by the person at the window when the case engine lets them, else by the department's 一件事联办
service account (`agent_for`), so each department's audit trail names who acted for it.
"""

from onewindow.bundles.acts.acceptance import accept_package
from onewindow.bundles.acts.apply import apply_for_theme
from onewindow.bundles.acts.base import AGENT_PREFIX, CorrectionLine, PackageFile, Participant, agent_for
from onewindow.bundles.acts.correction import (
    answer_package_correction,
    request_package_correction,
    supply_package_material,
)
from onewindow.bundles.acts.delivery import deliver_package
from onewindow.bundles.acts.refusal import refuse_package
from onewindow.bundles.acts.review import extend_package, record_joint_review

__all__ = [
    "AGENT_PREFIX", "CorrectionLine", "PackageFile", "Participant", "accept_package", "agent_for",
    "answer_package_correction", "apply_for_theme",
    "deliver_package", "extend_package", "record_joint_review", "refuse_package", "request_package_correction",
    "supply_package_material",
]
