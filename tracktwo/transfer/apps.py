from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "tracktwo.transfer"
    label = "transfer"

    def ready(self) -> None:
        from tracktwo.safety.retention import dialogue_content_purged
        from tracktwo.transfer.signals import purge_briefs

        dialogue_content_purged.connect(purge_briefs, dispatch_uid="transfer.purge_briefs")
