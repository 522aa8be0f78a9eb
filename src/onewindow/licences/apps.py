from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "onewindow.licences"
    label = "licences"
    verbose_name = "证照"

    def ready(self) -> None:
        from onewindow.cases import events
        from onewindow.licences.acts import receivers

        # Inside the case act's transaction: the register agrees with the case exactly (a result issued is a
        # licence registered; a renewal submitted too late is no submission at all).
        events.result_issued.connect(receivers.on_result_issued, uid="licences.register")
        events.case_submitted.connect(receivers.on_case_submitted, uid="licences.renewal_submitted")
        events.case_decided.connect(receivers.on_case_decided, uid="licences.renewal_decided")
        for ending in events.ENDINGS:
            ending.connect(receivers.on_case_ended, uid=f"licences.renewal_{ending.name}")

        from onewindow.forms.models import DataElement
        from onewindow.forms.prefill import register
        from onewindow.licences.prefill import from_licences

        # 减填写: a licence the applicant holds, read from the register (authoritative where the element says so).
        register(DataElement.Source.LICENCES, from_licences)
