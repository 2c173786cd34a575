"""The initiative moved to the initiatives app: state only, the table and its key stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0001_initial'),
        ('transfer', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.AlterField(
                model_name='trackoneevent',
                name='initiative',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='track_one_events', to='initiatives.initiative'),
            ),
            migrations.AlterField(
                model_name='transferentry',
                name='initiative',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transfer_log', to='initiatives.initiative'),
            ),
            ],
        ),
    ]
