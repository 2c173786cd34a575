from django.apps import AppConfig


class BackchannelConfig(AppConfig):
    name = "tracktwo.backchannel"
    label = "backchannel"

    def ready(self) -> None:
        """Register the caucuses, check-ins, handover notes and exchanges with retention and
        the wipe, and the expiry of carried messages (the convener's setting, default 90 days
        after carrying).

        The carried messages themselves are registered by the initiatives app, whose table
        they keep (they also go with the initiative's retention, counted from writing).
        """
        from tracktwo.backchannel.models import (
            Caucus,
            CaucusPost,
            ChannelPolicy,
            CheckIn,
            Exchange,
            ExchangeMessage,
            ExchangeVoice,
            HandoverNote,
        )
        from tracktwo.backchannel.policy import expiry_days_of
        from tracktwo.initiatives.models import BackChannelMessage
        from tracktwo.safety.registry import ConfidentialRows, register_confidential

        register_confidential(
            ConfidentialRows(
                "exchange_messages", ExchangeMessage, initiative="initiative_id", wipe_order=4
            ),
            ConfidentialRows(
                "exchange_voices", ExchangeVoice, initiative="initiative_id", wipe_order=4
            ),
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
            ConfidentialRows("exchanges", Exchange, initiative="initiative_id", wipe_order=9),
            ConfidentialRows(
                "channel_policy", ChannelPolicy, initiative="initiative_id", wipe_order=9
            ),
            ConfidentialRows(  # after "back_channel" (10): a wipe counts them there
                "carried_messages",
                BackChannelMessage,
                initiative="initiative_id",
                expires="carried_at",
                expiry_days=expiry_days_of,
                unit="messages",
                wipe_order=11,
            ),
        )
