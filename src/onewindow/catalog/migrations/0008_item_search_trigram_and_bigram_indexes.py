"""Item search served by indexes on PostgreSQL (`catalog/search.py`): GIN trigram indexes (pg_trgm, in Debian's
PostgreSQL contrib) on the name as the search compares it (upper-cased), on every pinyin column and on the
implementation code, and a GIN index of the name's character bigrams for two-character words (户口), which trigrams
cannot serve. SQLite has no such indexes: its search reads the table, with the same results."""

from django.db import migrations

BIGRAMS = """
CREATE OR REPLACE FUNCTION catalog_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
  FROM generate_series(1, char_length(value) - 1) AS i
$$
"""

INDEXES = [
    ("catalog_item_name_trgm", "gin (upper(name::text) gin_trgm_ops)"),
    ("catalog_item_name_bigrams", "gin (catalog_bigrams(upper(name::text)))"),
    ("catalog_item_initials_trgm", "gin (name_initials gin_trgm_ops)"),
    ("catalog_item_initials_alt_trgm", "gin (name_initials_alt gin_trgm_ops)"),
    ("catalog_item_pinyin_trgm", "gin (name_pinyin gin_trgm_ops)"),
    ("catalog_item_pinyin_alt_trgm", "gin (name_pinyin_alt gin_trgm_ops)"),
    ("catalog_item_code_trgm", "gin (upper(implementation_code::text) gin_trgm_ops)"),
    # Two letters of pinyin (hk): the pinyin columns hold letters and digits only, so their bigrams are few.
    ("catalog_item_initials_bigrams", "gin (catalog_bigrams(name_initials::text))"),
    ("catalog_item_initials_alt_bigrams", "gin (catalog_bigrams(name_initials_alt))"),
    ("catalog_item_pinyin_bigrams", "gin (catalog_bigrams(name_pinyin::text))"),
    ("catalog_item_pinyin_alt_bigrams", "gin (catalog_bigrams(name_pinyin_alt))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(BIGRAMS)
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON catalog_serviceitem USING {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS catalog_bigrams(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_theme_entries_retired_not_deleted"),
    ]

    operations = [migrations.RunPython(create, drop)]
