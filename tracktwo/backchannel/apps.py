from django.apps import AppConfig


class BackchannelConfig(AppConfig):
    name = "tracktwo.backchannel"
    label = "backchannel"

    def ready(self) -> None:
        """Register the caucuses, check-ins and handover notes with retention and the wipe.

        The carried messages are registered by the initiatives app, whose table they keep.
        """
        from tracktwo.backchannel.models import Caucus, CaucusPost, CheckIn, HandoverNote
        from tracktwo.safety.registry import ConfidentialRows, register_confidential

        register_confidential(
            ConfidentialRows(
                "caucus_posts",
                CaucusPost,
                initiative="initiative_id",
                expires="created_at",
                unit="posts",
                wipe_order=5,
            ),
            ConfidentialRows("caucuses", Caucus, initiative="initiative_id", wipe_order=6),
            ConfidentialRows("check_ins", CheckIn, initiative="initiative_id", wipe_order=7),
            ConfidentialRows(
                "handover_notes", HandoverNote, initiative="initiative_id", wipe_order=8
            ),
        )
