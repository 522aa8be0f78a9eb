"""The supervision hand-off (一链监管) moves to its own app with its rows: the four tables are renamed to the
`supervision` app's names here, then leave this app's state; `supervision.0001_initial` takes them into its own."""

from django.db import migrations

MOVED = ("supervisionevent", "webhookendpoint", "webhookdelivery", "deliveryattempt")


class Migration(migrations.Migration):

    dependencies = [
        ("bundles", "0002_one_daily_sequence"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=f"supervision_{model}") for model in MOVED),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DeliveryAttempt"),
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookEndpoint"),
                migrations.DeleteModel(name="SupervisionEvent"),
            ],
        ),
    ]
