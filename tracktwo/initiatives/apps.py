from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "tracktwo.initiatives"
    label = "initiatives"

    def ready(self) -> None:
        """Register the initiative as the owner of a data key, and its confidential rows."""
        from tracktwo.initiatives.actors.models import (
            Actor,
            ActorTie,
            Candidate,
            DelegationPlan,
            Draw,
        )
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
            ConfidentialRows(
                "candidates",
                Candidate,
                initiative="initiative_id",
                dialogue="dialogue_id",
                wipe_order=11,
            ),
            ConfidentialRows(
                "delegation_draws",
                Draw,
                initiative="initiative_id",
                dialogue="dialogue_id",
                wipe_order=12,
            ),
            ConfidentialRows(
                "delegation_plans",
                DelegationPlan,
                initiative="initiative_id",
                dialogue="dialogue_id",
                wipe_order=13,
            ),
            ConfidentialRows("actor_ties", ActorTie, initiative="initiative_id", wipe_order=14),
            ConfidentialRows("actors", Actor, initiative="initiative_id", wipe_order=15),
            ConfidentialRows("members", Membership, initiative="initiative_id", wipe_order=20),
            ConfidentialRows("parties", Party, initiative="initiative_id", wipe_order=40),
        )
