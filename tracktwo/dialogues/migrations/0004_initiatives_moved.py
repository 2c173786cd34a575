"""Initiative, Party, Membership and BackChannelMessage now belong to the initiatives app.

State only (their tables keep their names), plus the content types renamed to the new
app so permissions and admin history follow the models instead of being recreated.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("initiative", "party", "membership", "backchannelmessage")


def rename_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if content_type.objects.filter(app_label="initiatives", model=model).exists():
            continue
        content_type.objects.filter(app_label="dialogues", model=model).update(
            app_label="initiatives"
        )


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="initiatives", model__in=MOVED).update(
        app_label="dialogues"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dialogues", "0003_invitation_revoked_at"),
        ("initiatives", "0001_initial"),
        ("safety", "0002_alter_initiativekey_initiative"),
        ("transfer", "0002_alter_trackoneevent_initiative_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="dialogue",
                    name="initiative",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="dialogues",
                        to="initiatives.initiative",
                    ),
                ),
                migrations.DeleteModel(name="BackChannelMessage"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Party"),
                migrations.DeleteModel(name="Initiative"),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
