from django.db import migrations


def use_c_collation(apps, schema_editor):
    # Subtrees are ranges on the path ("0000000001/" up to "0000000001/~").
    # A language collation such as nb_NO ignores "/" and "~" at first
    # comparison, which would break those ranges; byte order ("C") keeps
    # them right whatever the database's default collation is. SQLite
    # compares bytes already.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'ALTER TABLE organisation_orgunit ALTER COLUMN path TYPE varchar(400) COLLATE "C"'
    )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_roles")]

    operations = [migrations.RunPython(use_c_collation, migrations.RunPython.noop)]
