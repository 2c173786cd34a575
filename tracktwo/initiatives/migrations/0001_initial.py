"""Initiatives, parties, memberships and back-channel messages, moved from the dialogues app.

State only: the tables stay as they are (``dialogues_initiative`` and the others), so no
row is copied and no sealed value changes. ``dialogues.0004_initiatives_moved`` then
removes the models from the dialogues app's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dialogues', '0003_invitation_revoked_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Initiative',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title_sealed', models.BinaryField(default=b'')),
                    ('description_sealed', models.BinaryField(default=b'')),
                    ('convening_organisation_sealed', models.BinaryField(default=b'')),
                    ('sponsors_sealed', models.BinaryField(default=b'')),
                    ('retention_days', models.PositiveIntegerField(default=365)),
                    ('transfer_model', models.CharField(blank=True, choices=[('top-down', 'Top-down: to officials directly'), ('middle-out', 'Middle-out: through mid-level leaders'), ('bottom-up', 'Bottom-up: through public opinion')], default='', max_length=20)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'dialogues_initiative',
                },
            ),
            migrations.CreateModel(
                name='Party',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveSmallIntegerField()),
                    ('name_sealed', models.BinaryField(default=b'')),
                    ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='initiatives.initiative')),
                ],
                options={
                    'db_table': 'dialogues_party',
                    'ordering': ('initiative_id', 'position'),
                },
            ),
            migrations.CreateModel(
                name='BackChannelMessage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('body_sealed', models.BinaryField(default=b'')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('carried_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='back_channel', to='initiatives.initiative')),
                    ('from_party', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.party')),
                    ('to_party', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.party')),
                ],
                options={
                    'db_table': 'dialogues_backchannelmessage',
                    'ordering': ('initiative_id', 'id'),
                },
            ),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('convener', 'Convener'), ('facilitator', 'Facilitator'), ('observer', 'Observer'), ('liaison', 'Track One liaison')], max_length=12)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('dialogue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='dialogues.dialogue')),
                    ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='initiatives.initiative')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'dialogues_membership',
                    'indexes': [models.Index(fields=['user', 'initiative', 'role'], name='membership_lookup')],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('dialogue__isnull', True)), fields=('user', 'initiative'), name='membership_initiative_wide_unique'), models.UniqueConstraint(condition=models.Q(('dialogue__isnull', False)), fields=('user', 'dialogue'), name='membership_dialogue_unique'), models.CheckConstraint(condition=models.Q(models.Q(('role', 'convener'), _negated=True), ('dialogue__isnull', True), _connector='OR'), name='membership_convener_initiative_wide')],
                },
            ),
            migrations.AddConstraint(
                model_name='party',
                constraint=models.UniqueConstraint(fields=('initiative', 'position'), name='party_position_unique'),
            ),
            ],
        ),
    ]
