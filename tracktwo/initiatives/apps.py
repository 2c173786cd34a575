from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "tracktwo.initiatives"
    label = "initiatives"

    def ready(self) -> None:
        """Register the initiative as the owner of a data key, and its confidential rows."""
        from tracktwo.initiatives.models import BackChannelMessage, Initiative, Membership, Party
        from tracktwo.safety.registry import (
            ConfidentialRows,
            register_confidential,
            register_key_owner,
        )

        register_key_owner(Initiative)
        register_confidential(
            ConfidentialRows(
                "back_channel",
                BackChannelMessage,
                initiative="initiative_id",
                expires="created_at",
                unit="messages",
                wipe_order=10,
            ),
            ConfidentialRows("members", Membership, initiative="initiative_id", wipe_order=20),
            ConfidentialRows("parties", Party, initiative="initiative_id", wipe_order=40),
        )
