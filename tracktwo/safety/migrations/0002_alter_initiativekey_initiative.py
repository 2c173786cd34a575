"""The initiative moved to the initiatives app: state only, the table and its key stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0001_initial'),
        ('safety', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.AlterField(
                model_name='initiativekey',
                name='initiative',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='data_key', to='initiatives.initiative'),
            ),
            ],
        ),
    ]
