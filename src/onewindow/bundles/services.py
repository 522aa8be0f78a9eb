"""The public services of 一件事 (五个一): one durable transaction each, for the pages, the API and commands.

Each is the composable act of the same name in `bundles.acts` (see there for what every act does and how the
package follows its sub-cases); the docstring of each service is its act's. The demo composes `bundles.acts`.
"""

from __future__ import annotations

from onewindow.bundles import acts
from onewindow.bundles.acts import CorrectionLine, PackageFile, Participant
from onewindow.core.kit import service

__all__ = ["CorrectionLine", "PackageFile", "Participant"]

# -- apply (一表申请) -------------------------------------------------------------------------------------------
apply_for_theme = service(acts.apply_for_theme)
# -- correction (一次性告知) -------------------------------------------------------------------------------------
request_package_correction = service(acts.request_package_correction)
supply_package_material = service(acts.supply_package_material)
answer_package_correction = service(acts.answer_package_correction)
# -- acceptance (一窗受理) ----------------------------------------------------------------------------------------
accept_package = service(acts.accept_package)
refuse_package = service(acts.refuse_package)
# -- joint review, delivery (集中会审、一口办结) ------------------------------------------------------------------
record_joint_review = service(acts.record_joint_review)
extend_package = service(acts.extend_package)
deliver_package = service(acts.deliver_package)
