"""The statutory limit of a package handled jointly (统一办理、联合办理, 行政许可法第二十六条、第四十二条第二款).

A 一件事 package is accepted once and decided by several departments together: the law gives them 45 working days
from acceptance (`JOINT_STATUTORY_DAYS`), extendable once by at most 15 (`JOINT_EXTENSION_DAYS`) with the approval
of the head of the people's government at the same level (本级人民政府负责人), the applicant told why. Working days
per art. 82 (the workday calendar). The package's own promised clock (`Package.due_on`, the theme's promise) runs
beside it; the statutory date is shown on the package page and the board, and a package past it is counted there.
"""

from __future__ import annotations

import datetime as dt

JOINT_STATUTORY_DAYS = 45
JOINT_EXTENSION_DAYS = 15


def statutory_overdue(legal_due_on: dt.date | None, today: dt.date) -> bool:
    """True once the package's statutory limit has passed (it is still undecided)."""
    return legal_due_on is not None and today > legal_due_on
