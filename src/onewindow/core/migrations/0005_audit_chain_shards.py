"""The audit chain splits into shards (分链) with a head row each; the events recorded so far become shard 0.

The existing chain stays valid as it is: its events keep their hashes, are numbered 1…n in id order (one SQL
statement, however many events there are) and shard 0's head is filled from its last event. The trigger that
moves a shard's head on every insert is created last: a table rebuild on SQLite would drop it.
"""

from django.db import migrations, models

HEAD_TRIGGER = "core_auditevent_moves_head"

_POSTGRESQL_TRIGGER = f"""
CREATE OR REPLACE FUNCTION {HEAD_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_auditchainhead SET last_id = NEW.id, last_hash = NEW.hash, length = NEW.seq
     WHERE shard = NEW.shard;
    RETURN NULL;
END
$$;
CREATE TRIGGER {HEAD_TRIGGER} AFTER INSERT ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION {HEAD_TRIGGER}();
"""
_SQLITE_TRIGGER = f"""
CREATE TRIGGER {HEAD_TRIGGER} AFTER INSERT ON core_auditevent FOR EACH ROW BEGIN
    UPDATE core_auditchainhead SET last_id = NEW.id, last_hash = NEW.hash, length = NEW.seq
     WHERE shard = NEW.shard;
END;
"""


def number_single_chain(apps, schema_editor):
    """Existing events → shard 0, numbered in id order; shard 0's head ← the last of them. Set-based SQL, so a
    database with millions of events migrates without loading them (UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET shard = 0, seq = numbered.n"
            " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM core_auditevent) AS numbered"
            " WHERE core_auditevent.id = numbered.id"
        )
        cursor.execute(
            "INSERT INTO core_auditchainhead (shard, last_id, last_hash, length)"
            " SELECT 0, id, hash, seq FROM core_auditevent"
            " WHERE id = (SELECT MAX(id) FROM core_auditevent)"
        )


def create_head_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": _POSTGRESQL_TRIGGER, "sqlite": _SQLITE_TRIGGER}.get(vendor)
    if sql is None:
        raise NotImplementedError(f"the audit chain's head trigger is written for PostgreSQL and SQLite, not {vendor}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def drop_head_trigger(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {HEAD_TRIGGER} ON core_auditevent")
            cursor.execute(f"DROP FUNCTION IF EXISTS {HEAD_TRIGGER}()")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {HEAD_TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_user_verified_identity"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("shard", models.SmallIntegerField(primary_key=True, serialize=False, verbose_name="分链")),
                ("last_id", models.BigIntegerField(blank=True, null=True, verbose_name="链尾记录号")),
                ("last_hash", models.CharField(max_length=64, verbose_name="链尾哈希")),
                ("length", models.BigIntegerField(default=0, verbose_name="环数")),
            ],
            options={"verbose_name": "审计链链头", "verbose_name_plural": "审计链链头", "ordering": ["shard"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="shard",
            field=models.SmallIntegerField(default=0, help_text="所在分链；-1 为锚链（定期记录各分链链头）",
                                           verbose_name="分链"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, help_text="在所在分链中的位置，从 1 起连续", verbose_name="链内序号"),
        ),
        migrations.RunPython(number_single_chain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(help_text="在所在分链中的位置，从 1 起连续", verbose_name="链内序号"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("shard", "seq"), name="core_auditevent_shard_seq"),
        ),
        migrations.RunPython(create_head_trigger, drop_head_trigger),
    ]
