"""The reviewed corrections (勘误表) of the holiday data package, shipped with the project.

The years the `chinesecalendar` package covers (2004–2026) were checked day by day against the State Council's
yearly notices (国务院办公厅关于某年部分节假日安排的通知) and against the `holidays` library's China calendar; every
day where the package departs from the notice is one line of `data/corrections.csv` with the notice it follows:
`date,kind,name,source`, `kind` = `holiday` (法定节假日), `workday` (调休上班日) or `none` (an ordinary day: the
package's special day is removed). The seed applies them (`workdays.services.seed_from_package`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

CORRECTIONS_FILE = Path(__file__).parent / "data" / "corrections.csv"
KINDS = ("holiday", "workday", "none")


@dataclass(frozen=True)
class Correction:
    """One reviewed day: what it is under the notice (`kind`), its name, and the notice (`source`)."""

    date: dt.date
    kind: str
    name: str
    source: str


@functools.cache
def corrections() -> tuple[Correction, ...]:
    """Every correction of the shipped list, in date order; a malformed line is a fault of the release (ValueError)."""
    rows = []
    with CORRECTIONS_FILE.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind = row["kind"].strip()
            source = row["source"].strip()
            if kind not in KINDS or not source:
                raise ValueError(f"{CORRECTIONS_FILE.name} line {line}: kind must be one of {KINDS}, with a source")
            rows.append(Correction(dt.date.fromisoformat(row["date"].strip()), kind, row["name"].strip(), source))
    return tuple(sorted(rows, key=lambda c: c.date))
