"""Domain errors. Services raise them; the API, the pages and the CLI turn each into one clear message, in one
place each (`onewindow.api`, `core.pages`, `core.commands`).

Every error carries a code from `ErrorCode`: one code, one meaning, stable across releases, so that an API
client can branch on it. A code not in the enumeration is refused when the error is raised.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The codes of `{"error": {"code": …}}`. Add a member for a new meaning; never reuse one for another."""

    # generic kinds
    INVALID = "invalid"  # a field is missing, malformed or out of range; `fields` names it
    NOT_FOUND = "not_found"  # the object does not exist or is outside the caller's scope
    FORBIDDEN = "forbidden"  # the caller may not do this
    NOT_AUTHENTICATED = "not_authenticated"  # no session and no valid API token
    CONFLICT = "conflict"  # the request collides with the current state in a way no code below names
    ILLEGAL_TRANSITION = "illegal_transition"  # the lifecycle table forbids the act from the current state
    VERSION_CONFLICT = "version_conflict"  # someone changed the object since it was read (optimistic lock)
    NUMBER_EXHAUSTED = "number_exhausted"  # a daily sequence (case, package, ticket numbers) ran out
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # an Idempotency-Key sent again with a different request
    # the HTTP edge: the request itself, before any service ran
    BAD_REQUEST = "bad_request"  # the request cannot be read at all (an unknown host, a broken encoding)
    MALFORMED_JSON = "malformed_json"  # the body, or a multipart part, is not valid JSON; `fields` names it
    CSRF_FAILED = "csrf_failed"  # a signed-in page session posted without a valid CSRF token
    METHOD_NOT_ALLOWED = "method_not_allowed"  # the address does not take this method; `Allow` lists those it does
    SERVER_ERROR = "server_error"  # a fault of the software, logged; the request may not have been carried out
    # identity and files
    INVALID_IDENTITY_NUMBER = "invalid_identity_number"  # GB 11643 居民身份证号码 check failed
    INVALID_CREDIT_CODE = "invalid_credit_code"  # GB 32100 统一社会信用代码 check failed
    INVALID_UPLOAD = "invalid_upload"  # an uploaded file is empty, too large or not the type it claims
    NOT_THE_HOLDER = "not_the_holder"  # acting in another person's name: not their 实名 account nor their authorized agent
    RATE_LIMITED = "rate_limited"  # too many requests from this client, identity number or mobile: try again later
    # working-day calendar
    CALENDAR_NOT_LOADED = "calendar_not_loaded"  # a date falls in a year whose holidays are not loaded
    CALENDAR_FILE_INVALID = "calendar_file_invalid"
    CALENDAR_YEAR_EXISTS = "calendar_year_exists"
    # catalog
    CATALOG_FILE_INVALID = "catalog_file_invalid"
    VERSION_FROZEN = "version_frozen"  # a published item version cannot be edited
    DRAFT_EXISTS = "draft_exists"
    DRAFT_OUTDATED = "draft_outdated"  # the draft was based on a version that is no longer the published one
    NOTHING_PUBLISHED = "nothing_published"
    IN_USE = "in_use"  # a row still referenced (a catalog entry, a hall category with tickets) cannot be deleted
    PREREQUISITE_CYCLE = "cycle"  # a theme's prerequisite items form a cycle
    # application forms (电子申请表)
    FORM_INVALID = "form_invalid"  # the answers fail their form's schema or rules; `fields` names each path
    # cases
    MATERIALS_MISSING = "materials_missing"  # acceptance refused: required materials absent
    CORRECTION_INCOMPLETE = "correction_incomplete"  # 一次性告知 must list every missing material
    INCOMPLETE_NOTICE = "incomplete_notice"  # a notice cannot be printed: its facts are not on the case
    NO_SUCH_NOTICE = "no_such_notice"  # the case has no notice of this kind
    NO_OPEN_SUSPENSION = "no_open_suspension"
    ALREADY_EXTENDED = "already_extended"  # the one extension of art. 42 was already granted
    ACCEPTANCE_LAPSED = "acceptance_lapsed"  # 5 working days passed: deemed accepted (art. 32), no notice now
    CORRECTION_ALREADY_TOLD = "correction_already_told"  # a 2nd notice names a material unchanged since the 1st
    STATUTORY_LIMIT_PASSED = "statutory_limit_passed"  # an extension after the statutory limit ran out (art. 42)
    TOLERANCE_OPEN = "tolerance_open"  # 容缺 materials still owed: no result may be issued
    WRONG_PICKUP_CODE = "wrong_pickup_code"
    RESULTS_PENDING = "results_pending"  # a package cannot be delivered before every result is issued
    # licences (证照)
    RENEWAL_TOO_LATE = "renewal_too_late"  # art. 50: renewal applied for later than 30 days before expiry
    RENEWAL_PENDING = "renewal_pending"  # a renewal of the licence is already being handled
    NOT_RENEWABLE = "not_renewable"  # the licence has no fixed validity (长期有效): there is nothing to renew
    TOLERANCE_NOT_OVERDUE = "tolerance_not_overdue"  # an approval is revoked only once a 容缺 promise has lapsed
    EXPECTED_END_REQUIRED = "expected_end_required"  # a special procedure states its expected end (art. 45)
    HEARING_IN_PROGRESS = "hearing_in_progress"  # a hearing's procedure ends by its own acts, not by a plain resume
    NO_OPEN_HEARING = "no_open_hearing"  # the hearing act needs a hearing in another stage
    HEARING_WINDOW_CLOSED = "hearing_window_closed"  # the parties' 5 days to ask for a hearing are over (art. 47)
    HEARING_WINDOW_OPEN = "hearing_window_open"  # the 5 days still run: the request cannot be recorded as lapsed
    HEARING_NOTICE_TOO_SHORT = "hearing_notice_too_short"  # time and place told less than 7 days ahead (art. 48)
    HEARING_BEYOND_LIMIT = "hearing_beyond_limit"  # the hearing set after the 20 days while a date within them exists
    HEARING_NOT_YET_HELD = "hearing_not_yet_held"  # a record before the day set for the hearing
    PRESIDING_IS_REVIEWER = "presiding_is_reviewer"  # the reviewer of the application may not preside (art. 48)
    # hall
    CATEGORY_INACTIVE = "category_inactive"
    WINDOW_NOT_OPEN = "window_not_open"
    WINDOW_BUSY = "window_busy"
    NO_CURRENT_TICKET = "no_current_ticket"
    RECALL_LIMIT = "recall_limit"
    REACTIVATION_EXPIRED = "reactivation_expired"
    ALREADY_REACTIVATED = "already_reactivated"
    NOT_BOOKABLE = "not_bookable"
    BOOKING_TOO_FAR_AHEAD = "booking_too_far_ahead"  # beyond the hall's booking horizon
    SLOT_PAST = "slot_past"
    SLOT_FULL = "slot_full"
    HALL_CLOSED = "hall_closed"  # a rest day by the working-day calendar, and the hall is not declared open on it
    ALREADY_BOOKED = "already_booked"
    BOOKING_BLOCKED = "booking_blocked"  # too many no-shows: booking is suspended for a while
    BOOKING_CODE_COLLISION = "code_collision"
    TOO_LATE_TO_CANCEL = "too_late_to_cancel"
    CHECK_IN_TOO_EARLY = "check_in_too_early"  # before the slot's check-in window opens
    CHECK_IN_TOO_LATE = "check_in_too_late"  # the slot is over: take an ordinary ticket
    WRONG_CONFIRMATION_CODE = "wrong_confirmation_code"  # the SMS code does not match (attempts are limited)
    CONFIRMATION_EXPIRED = "confirmation_expired"  # an unconfirmed booking lapsed, or its code was used up


class DomainError(Exception):
    """Base of every error a user can cause; carries a stable code and an HTTP status."""

    code: ErrorCode = ErrorCode.INVALID
    status = 422

    def __init__(self, message: str, *, code: ErrorCode | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = ErrorCode(code)  # a free string that is not a member fails here, not at the client
        self.fields = fields or {}


class InvalidInput(DomainError):
    code = ErrorCode.INVALID
    status = 422


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND
    status = 404


class PermissionDenied(DomainError):
    code = ErrorCode.FORBIDDEN
    status = 403


class NotAuthenticated(DomainError):
    code = ErrorCode.NOT_AUTHENTICATED
    status = 401


class Conflict(DomainError):
    code = ErrorCode.CONFLICT
    status = 409


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED
    status = 429


class NotTheHolder(PermissionDenied):
    code = ErrorCode.NOT_THE_HOLDER


class IllegalTransition(Conflict):
    code = ErrorCode.ILLEGAL_TRANSITION


class VersionConflict(Conflict):
    code = ErrorCode.VERSION_CONFLICT


class InvalidIdentityNumber(InvalidInput):
    code = ErrorCode.INVALID_IDENTITY_NUMBER


class InvalidCreditCode(InvalidInput):
    code = ErrorCode.INVALID_CREDIT_CODE
