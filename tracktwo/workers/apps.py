from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "tracktwo.workers"
    label = "workers"

    def ready(self) -> None:
        """Register prepared files with safety's purge and wipe, each expiring a day after it
        was asked for (``tracktwo purge`` sweeps them); their files go with the rows."""
        from django.db.models.signals import post_delete

        from tracktwo.safety.registry import ConfidentialRows, register_confidential
        from tracktwo.workers.actions import kept_days
        from tracktwo.workers.files import forget_file
        from tracktwo.workers.models import Job

        register_confidential(
            ConfidentialRows(
                "prepared_files",
                Job,
                "dialogue__initiative_id",
                "dialogue_id",
                expires="created_at",
                expiry_days=kept_days,
                unit="files",
            )
        )
        post_delete.connect(forget_file, sender=Job, dispatch_uid="workers.forget_file")
