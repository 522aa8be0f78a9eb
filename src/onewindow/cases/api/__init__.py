"""The case API under /api/v1/cases (办件) and the public tracking query under /api/v1/track, one module per
sub-domain, each with its router: the case resource (`cases`: list, open step by step, read), a whole intake
in one call (`intake`), the actions on a case from the action registry (`actions`), materials (`materials`), supervision
(`supervision`), notices (`notices`), tracking (`tracking`); the schemas in `schemas`, what they share in `base`.

Every lookup goes through `cases_visible_to`: a case outside the caller's scope is a 404.
"""

from onewindow.cases.api import actions, cases, intake, materials, notices, supervision
from onewindow.cases.api.base import router
from onewindow.cases.api.tracking import track_router

# Paths are matched in the order they are added: the fixed ones (/intake, /apply, /supervision, /on-time,
# /notices) before /{number} (`cases`), which would take them.
for sub in (intake, supervision, notices, cases, actions, materials):
    router.add_router("", sub.router)

__all__ = ["router", "track_router"]
