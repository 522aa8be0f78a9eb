"""Composable acts on the holiday table (工作日历), run inside a caller's transaction; `workdays.services`
publishes each as a public service. Each act is allowed to the center's administrators, validates the
arrangement, sends `calendar_changed` when a day changed between working day and rest day (its receivers recount
every stored date that depends on it, in the same transaction), appends to the audit chain last, and drops the
working-day index (again after commit) so that deadlines computed afterwards use the edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import IntegrityError, models, transaction

from onewindow.core import audit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, NotFound
from onewindow.core.events import after_commit
from onewindow.core.kit import composable, moment, require_role
from onewindow.core.models import Role
from onewindow.workdays.calendar import WorkCalendar
from onewindow.workdays.events import CalendarChanged, calendar_changed
from onewindow.workdays.models import CalendarYear, SpecialDay
from onewindow.workdays.selectors import build_calendar, in_force, invalidate_calendar

M = TypeVar("M", bound=models.Model)


def _max_length(model: type[models.Model], name: str) -> int:
    """The length limit of a CharField; it always has one (Django's check fields.E120 refuses a CharField without)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is not a CharField with a max_length")
    return field.max_length


FIRST_YEAR, LAST_YEAR = 1900, 2200
NAME_LENGTH = _max_length(SpecialDay, "name")
SOURCE_LENGTH = _max_length(CalendarYear, "source")


class Day(NamedTuple):
    """One special day of a year: a statutory holiday (法定节假日) or an adjusted working day (调休上班日)."""

    date: dt.date
    kind: str
    name: str = ""


@dataclass
class YearFile:
    """One year's arrangement as read from a file or a package: the year, its source (来源), its days."""

    year: int | None = None
    source: str = ""
    days: list[Day] = field(default_factory=list)


def arrangement_problems(year: int, days: Iterable[Day]) -> list[str]:
    """Every problem of a year's arrangement (节假日安排): each day in the year, of a kind that makes sense
    (an adjusted working day is a Saturday or Sunday), no date twice; and a plausible year."""
    problems: list[str] = []
    seen: dict[dt.date, str] = {}
    for day, kind, name in days:
        if kind not in SpecialDay.Kind.values:
            problems.append(f"{day}：类型“{kind}”无效，应为 holiday（法定节假日）或 workday（调休上班日）")
        if day.year != year:
            problems.append(f"{day}：不在 {year} 年内")
        if kind == SpecialDay.Kind.WORKDAY and day.weekday() < 5:
            problems.append(f"{day}：调休上班日只能是周六或周日（该日本就是工作日）")
        if day in seen:
            problems.append(f"{day}：重复出现" + ("（既是假日又是上班日）" if seen[day] != kind else ""))
        if len(name) > NAME_LENGTH:
            problems.append(f"{day}：名称不能超过 {NAME_LENGTH} 个字")
        seen[day] = kind
    if not (FIRST_YEAR <= year <= LAST_YEAR):
        problems.append(f"年份 {year} 不合理")
    return problems


def require_calendar_editor(by: Any) -> None:
    """Only the center's administrators edit the holiday table; `by=None` is the system (load from the shell, seed)."""
    if by is not None:
        require_role(by, {Role.ADMIN}, "只有中心管理员可以修改工作日历")


@composable
def load_year(parsed: YearFile, *, by: Any = None, replace: bool = False) -> CalendarYear:
    """Load one year's arrangement (载入节假日安排) from a file, all or nothing; an already loaded year needs `replace`."""
    require_calendar_editor(by)
    year = _check_arrangement(parsed.year, parsed.days)
    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    previous = build_calendar()
    before = None
    if existing:
        if not replace:
            raise Conflict(f"{year}年已载入；如需覆盖请加 --replace", code=ErrorCode.CALENDAR_YEAR_EXISTS)
        before = {"days": existing.days.count()}
        calendar_year = existing
        calendar_year.source = parsed.source or calendar_year.source
        calendar_year.save()
    else:
        calendar_year = CalendarYear.objects.create(year=year, source=parsed.source)
    set_days(calendar_year, parsed.days)
    moved = _calendar_changed(previous, action="calendar.load_year", by=by)
    audit.record(
        "calendar.load_year",
        obj=calendar_year,
        by=by,
        before=before,
        after={"year": year, "days": len(parsed.days), "source": parsed.source, **moved},
    )
    return calendar_year


@composable
def add_calendar_year(*, year: int, source: str = "", days: Iterable[Day] = (), by: Any) -> CalendarYear:
    """Add a year (新增日历年度) with its holidays and adjusted working days."""
    require_calendar_editor(by)
    days = _sorted_days(days)
    source = _source(source)
    _check_arrangement(year, days)
    previous = build_calendar()
    calendar_year = CalendarYear(year=year, source=source)
    taken = Conflict(f"{year}年已载入", code=ErrorCode.CALENDAR_YEAR_EXISTS, fields={"year": "已载入"})
    _save_unique(calendar_year, "year", taken)
    set_days(calendar_year, days)
    moved = _calendar_changed(previous, action="calendar.add", by=by)
    audit.record(
        "calendar.add",
        obj=calendar_year,
        by=by,
        after={"year": year, "source": source, "days": [_day_entry(d) for d in days], **moved},
    )
    return calendar_year


@composable
def change_calendar_year(
    calendar_year: CalendarYear, *, source: str | None = None, days: Iterable[Day] | None = None, by: Any
) -> CalendarYear:
    """Change a year (修改日历年度): its source (来源) and/or all of its special days; None keeps that part.

    An edit that changes nothing writes nothing and is not audited.
    """
    require_calendar_editor(by)
    calendar_year = _locked(CalendarYear.objects, calendar_year.pk)
    previous = build_calendar()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    source = _source(source) if source is not None else calendar_year.source
    if source != calendar_year.source:
        before["source"], after["source"] = calendar_year.source, source
        calendar_year.source = source
    if days is not None:
        days = _sorted_days(days)
        _check_arrangement(calendar_year.year, days)
        current = _days_of(calendar_year)
        if days != current:
            before["days"], after["days"] = [_day_entry(d) for d in current], [_day_entry(d) for d in days]
            set_days(calendar_year, days)
    if not after:
        return calendar_year
    calendar_year.save()
    after.update(_calendar_changed(previous, action="calendar.change", by=by))
    audit.record("calendar.change", obj=calendar_year, by=by, before=before, after=after)
    return calendar_year


@composable
def delete_calendar_years(calendar_years: Iterable[CalendarYear], *, by: Any) -> int:
    """Delete years with their special days (删除日历年度): one act, however many; returns how many.

    Working days of a deleted year can no longer be computed until it is loaded again.
    """
    require_calendar_editor(by)
    rows = list(CalendarYear.objects.select_for_update().filter(pk__in=[y.pk for y in calendar_years]).order_by("year"))
    if not rows:
        return 0
    day_counts = dict(
        SpecialDay.objects.filter(calendar_year__in=rows)
        .values("calendar_year")
        .annotate(n=models.Count("id"))
        .values_list("calendar_year", "n")
    )
    before = [{"year": y.year, "source": y.source, "days": day_counts.get(y.pk, 0)} for y in rows]
    previous = build_calendar()
    CalendarYear.objects.filter(pk__in=[y.pk for y in rows]).delete()
    _calendar_changed(previous, action="calendar.delete", by=by)
    _record_deletion(rows, before, by)
    return len(rows)


@composable
def add_special_day(*, calendar_year: CalendarYear, date: dt.date, kind: str, name: str = "", by: Any) -> SpecialDay:
    """Add a holiday or an adjusted working day (新增特殊日期) to a loaded year."""
    require_calendar_editor(by)
    calendar_year = _locked(CalendarYear.objects, calendar_year.pk)
    entry = Day(date, kind, (name or "").strip())
    _check_arrangement(calendar_year.year, [entry])
    previous = build_calendar()
    day = SpecialDay(calendar_year=calendar_year, date=date, kind=kind, name=entry.name)
    _save_unique(day, "date", _date_taken(date))
    calendar_year.save()
    moved = _calendar_changed(previous, action="calendar.add", by=by)
    audit.record("calendar.add", obj=day, by=by, after={**_day_entry(entry), **moved})
    return day


@composable
def change_special_day(day: SpecialDay, *, date: dt.date, kind: str, name: str = "", by: Any) -> SpecialDay:
    """Change a special day's date, kind or name (修改特殊日期), within its year; no change, nothing written."""
    require_calendar_editor(by)
    day = _locked(SpecialDay.objects.select_related("calendar_year"), day.pk)
    current, entry = Day(day.date, day.kind, day.name), Day(date, kind, (name or "").strip())
    _check_arrangement(day.calendar_year.year, [entry])
    if entry == current:
        return day
    previous = build_calendar()
    day.date, day.kind, day.name = entry
    _save_unique(day, "date", _date_taken(entry.date))
    day.calendar_year.save()
    moved = _calendar_changed(previous, action="calendar.change", by=by)
    audit.record("calendar.change", obj=day, by=by, before=_day_entry(current), after={**_day_entry(entry), **moved})
    return day


@composable
def delete_special_days(days: Iterable[SpecialDay], *, by: Any) -> int:
    """Remove holidays or adjusted working days (删除特殊日期): one act, however many; returns how many."""
    require_calendar_editor(by)
    rows = list(SpecialDay.objects.select_for_update().filter(pk__in=[d.pk for d in days]).order_by("date"))
    if not rows:
        return 0
    before = [_day_entry(Day(d.date, d.kind, d.name)) for d in rows]
    previous = build_calendar()
    SpecialDay.objects.filter(pk__in=[d.pk for d in rows]).delete()
    # The year's timestamp is how other processes notice the edit (selectors._revision).
    for calendar_year in CalendarYear.objects.filter(pk__in={d.calendar_year_id for d in rows}):
        calendar_year.save()
    _calendar_changed(previous, action="calendar.delete", by=by)
    _record_deletion(rows, before, by)
    return len(rows)


CORRECTED = "（据勘误表校正）"


@composable
def seed_from_package(*, years: Iterable[int] | None = None) -> list[int]:
    """Load every year the chinesecalendar package covers that is not loaded yet, with the reviewed corrections
    (`workdays.corrections`) applied; apply the corrections to years already seeded from the package too.
    Returns the years added.

    The system's own act after every migrate (and `onewindow calendar seed`): it never changes a year loaded from
    a notice or edited by a person — only years whose source is still the package's. One audit event
    `calendar.seed` when it added or corrected anything in a table that had years already (the first seed of an
    empty table is the database's initial state, like a migration); `calendar_changed` when a correction moved a
    day.
    """
    import chinese_calendar

    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
    known = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    wanted = known if years is None else set(years) & known
    by_year, fixes = _package_years(wanted)
    rows = {row.year: row for row in CalendarYear.objects.select_for_update().filter(year__in=wanted)}
    initial = not CalendarYear.objects.exists()
    previous = build_calendar()
    labels = {year: (source + (CORRECTED if year in fixes else ""))[:SOURCE_LENGTH] for year in wanted}
    added, corrected = [year for year in sorted(wanted) if year not in rows], []
    _create_years(added, by_year, labels)
    for year in sorted(rows):
        row = rows[year]
        if row.source == source and year in fixes:
            # Seeded by an earlier release, before its corrections: set the corrected days, keep the others.
            for fix in fixes[year]:
                row.days.filter(date=fix.date).delete()
                if fix.kind != "none":
                    SpecialDay.objects.create(calendar_year=row, date=fix.date, kind=fix.kind, name=fix.name[:NAME_LENGTH])
            row.source = labels[year]
            row.save()
            corrected.append(year)
    if not (added or corrected):
        return []
    moved = _calendar_changed(previous, action="calendar.seed", by=None)
    if initial:
        return added
    applied = [f"{f.date.isoformat()} {f.kind}" for y in sorted(set(added) | set(corrected)) for f in fixes.get(y, [])]
    audit.record("calendar.seed", object_type="workdays.calendaryear", object_id=source[:64],
                 after={"added": added, "corrected": corrected, "corrections": applied, **moved})
    return added


def _create_years(years: list[int], by_year: dict[int, dict[dt.date, Day]], labels: dict[int, str]) -> None:
    """Years not in the table yet, and their days, in two inserts (after every test flush this runs for ~20 years)."""
    if not years:
        return
    CalendarYear.objects.bulk_create(CalendarYear(year=year, source=labels[year]) for year in years)
    ids = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "pk"))
    SpecialDay.objects.bulk_create(
        SpecialDay(calendar_year_id=ids[year], date=day.date, kind=day.kind, name=day.name)
        for year in years for day in sorted(by_year[year].values()))


def _package_years(years: set[int]) -> tuple[dict[int, dict[dt.date, Day]], dict[int, list[Any]]]:
    """The package's special days of `years` with the corrections applied, and the corrections of each year."""
    import chinese_calendar

    from onewindow.workdays.corrections import corrections

    by_year: dict[int, dict[dt.date, Day]] = {y: {} for y in years}
    for table, kind, suffix in ((chinese_calendar.holidays, "holiday", ""), (chinese_calendar.workdays, "workday", "调休")):
        for date, label in table.items():
            if date.year in by_year:
                by_year[date.year][date] = Day(date, kind, _package_name(label, suffix))
    fixes: dict[int, list[Any]] = {}
    for fix in corrections():
        if fix.date.year in by_year:
            fixes.setdefault(fix.date.year, []).append(fix)
            by_year[fix.date.year].pop(fix.date, None)
            if fix.kind != "none":
                by_year[fix.date.year][fix.date] = Day(fix.date, fix.kind, fix.name[:NAME_LENGTH])
    return by_year, fixes


_PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _package_name(value: Any, suffix: str) -> str:
    text = str(value or "")
    return (_PACKAGE_NAMES.get(text, text)[:40] + suffix)[:NAME_LENGTH]


def _check_arrangement(year: int | None, days: Iterable[Day]) -> int:
    """The arrangement's year when it has no problem; otherwise InvalidInput listing every problem."""
    if year is None:
        problems = ["缺少年份"]
    elif not (problems := arrangement_problems(year, days)):
        return year
    raise InvalidInput("工作日历有误，未作任何更改：" + "；".join(problems), fields={"days": "；".join(problems)})


def _source(source: str) -> str:
    source = (source or "").strip()
    if len(source) > SOURCE_LENGTH:
        raise InvalidInput(f"来源不能超过 {SOURCE_LENGTH} 个字", fields={"source": "过长"})
    return source


def _locked(rows: models.Manager[M] | models.QuerySet[M], pk: int | None) -> M:
    try:
        return rows.select_for_update().get(pk=pk)
    except ObjectDoesNotExist:
        raise NotFound(f"{rows.model._meta.verbose_name}不存在或已被删除") from None


def _sorted_days(days: Iterable[Day]) -> list[Day]:
    return sorted(Day(d.date, d.kind, (d.name or "").strip()) for d in days)


def _days_of(calendar_year: CalendarYear) -> list[Day]:
    return [Day(d.date, d.kind, d.name) for d in calendar_year.days.order_by("date")]


def _day_entry(day: Day) -> dict[str, str]:
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}


def set_days(calendar_year: CalendarYear, days: Iterable[Day]) -> None:
    """Make `days` the year's special days: rows of dates no longer listed go, the others are changed or added.

    A building block of the acts and the package seed: no permission check, no audit.
    """
    wanted = {d.date: d for d in days}
    existing = {row.date: row for row in calendar_year.days.all()}
    calendar_year.days.filter(pk__in=[row.pk for date, row in existing.items() if date not in wanted]).delete()
    changed = []
    for date, entry in wanted.items():
        row = existing.get(date)
        if row is not None and (row.kind, row.name) != (entry.kind, entry.name):
            row.kind, row.name = entry.kind, entry.name
            changed.append(row)
    SpecialDay.objects.bulk_update(changed, ["kind", "name"])
    SpecialDay.objects.bulk_create(
        SpecialDay(calendar_year=calendar_year, date=d.date, kind=d.kind, name=d.name)
        for date, d in wanted.items()
        if date not in existing
    )


def _date_taken(date: dt.date) -> Conflict:
    return Conflict(f"{date} 已有安排（一个日期只能有一条）", fields={"date": "已有安排"})


def _save_unique(row: models.Model, field: str, conflict: Conflict) -> None:
    """Save the row, or raise `conflict` when another row has its date or year, even one saved at the same moment."""
    if type(row)._default_manager.filter(**{field: getattr(row, field)}).exclude(pk=row.pk).exists():
        raise conflict
    try:
        # A savepoint: the unique index's refusal becomes the act's Conflict, and the caller's transaction stays usable.
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise conflict from None


def _calendar_changed(previous: WorkCalendar, *, action: str, by: Any) -> dict[str, Any]:
    """After the table is written: send `calendar_changed` for the days whose working status differs from
    `previous` (the calendar before the edit), its receivers seeing the edited calendar; drop this process's
    working-day index now and again once the edit commits, in case another request rebuilt it from the old table
    meanwhile. Returns what the act's audit event records: the changed days, if any."""
    invalidate_calendar()
    after_commit(invalidate_calendar, what="working-day index rebuilt after a holiday edit")
    edited = build_calendar()
    days = previous.changed_days(edited)
    if not days:
        return {}
    with in_force(edited):
        calendar_changed.send(CalendarChanged(days=tuple(days), action=action, by=by, at=moment()[0]))
    return {"changed_days": [d.isoformat() for d in days]}


def _record_deletion(rows: list[Any], before: list[dict[str, Any]], by: Any) -> None:
    """One audit event for the rows deleted together; its object names them all (64 characters at most)."""
    if len(rows) == 1:
        audit.record("calendar.delete", obj=rows[0], by=by, before=before[0])
        return
    ids = ",".join(str(row.pk) for row in rows)
    if len(ids) > 64:
        ids = ids[:63].rsplit(",", 1)[0] + "…"
    audit.record("calendar.delete", object_type=rows[0]._meta.label_lower, object_id=ids, by=by, before=before)
