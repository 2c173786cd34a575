from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "tracktwo.workers"
    label = "workers"

    def ready(self) -> None:
        """Register prepared files with safety's purge and wipe; their files go with the rows."""
        from django.db.models.signals import post_delete

        from tracktwo.safety.registry import ConfidentialRows, register_confidential
        from tracktwo.workers.files import forget_file
        from tracktwo.workers.models import Job

        register_confidential(
            ConfidentialRows("prepared_files", Job, "dialogue__initiative_id", "dialogue_id")
        )
        post_delete.connect(forget_file, sender=Job, dispatch_uid="workers.forget_file")
