"""Mark as current the newest assessment by date in each person's,
competence's and kind's history.

Before 0003, the last one entered counted, so a back-dated entry could be
current over a newer one. Only histories that have a current row are
touched: the rows a framework's earlier version keeps as history (none of
them current) stay as they are.
"""

from django.db import migrations

# Per history that has a current row: the newest by date, then by entry.
NEWEST = """
SELECT id FROM (
  SELECT id,
    ROW_NUMBER() OVER (
      PARTITION BY person_id, competence_id, kind
      ORDER BY assessed_on DESC, created_at DESC, id DESC
    ) AS place,
    MAX(CASE WHEN is_current THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id, competence_id, kind
    ) AS has_current
  FROM profiles_assessment
) ranked
WHERE place = 1 AND has_current = 1
"""


def mark_newest_current(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        # Chosen before anything changes, since unmarking a row changes
        # which histories have a current one.
        cursor.execute(f"CREATE TEMPORARY TABLE assessment_newest AS {NEWEST}")
        # Unmark first: one current row per history is a unique index.
        cursor.execute(
            "UPDATE profiles_assessment SET is_current = FALSE WHERE is_current"
            " AND id NOT IN (SELECT id FROM assessment_newest)"
        )
        cursor.execute(
            "UPDATE profiles_assessment SET is_current = TRUE WHERE NOT is_current"
            " AND id IN (SELECT id FROM assessment_newest)"
        )
        cursor.execute("DROP TABLE assessment_newest")


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_assessment_level_may_be_cleared"),
    ]

    operations = [
        migrations.RunPython(mark_newest_current, migrations.RunPython.noop),
    ]
