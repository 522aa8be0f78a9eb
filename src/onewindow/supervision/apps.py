from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "onewindow.supervision"
    label = "supervision"
    verbose_name = "一链监管（审管分离）"

    def ready(self) -> None:
        from onewindow.cases.events import result_issued
        from onewindow.supervision import acts, checks  # noqa: F401 - checks registers the settings check

        # Inside the act's transaction: the hand-off record and its deliveries are an outbox that exists exactly
        # when the result does; the webhook calls leave after commit. Retries run from the beat schedule.
        result_issued.connect(acts.on_result_issued, uid="supervision.hand_off")
