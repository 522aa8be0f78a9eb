from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "onewindow.bundles"
    label = "bundles"
    verbose_name = "一件事（并联审批）"

    def ready(self) -> None:
        from onewindow.bundles.acts import reactions
        from onewindow.cases import events

        # Inside the case act's transaction (see bundles.acts.reactions): the package agrees with its sub-cases
        # at every commit. The uids make a second ready() a no-op.
        events.case_decided.connect(reactions.on_case_decided, uid="bundles.case_decided")
        for ending in events.ENDINGS:
            ending.connect(reactions.on_case_ended, uid=f"bundles.{ending.name}")
        events.correction_requested.connect(reactions.on_correction_requested, uid="bundles.correction_requested")
        events.result_issued.connect(reactions.on_result_issued, uid="bundles.result_issued")

        from onewindow.bundles.acts.calendar import on_calendar_changed
        from onewindow.workdays.events import calendar_changed

        # Inside the holiday edit's transaction: the package's own working-day dates agree with the calendar.
        calendar_changed.connect(on_calendar_changed, uid="bundles.calendar_changed")

        from onewindow.bundles.holder import PackageHolder
        from onewindow.cases import holders

        # A package's sub-cases are listed and acted on through the package (see cases.holders).
        holders.register(PackageHolder())
