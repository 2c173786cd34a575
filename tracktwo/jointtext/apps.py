from django.apps import AppConfig


class JointTextConfig(AppConfig):
    name = "tracktwo.jointtext"
    label = "jointtext"

    def ready(self) -> None:
        """Register joint texts, versions, amendments, ballots and approvals with retention."""
        from tracktwo.jointtext.models import (
            Amendment,
            Approval,
            JointText,
            RankedBallot,
            TextVersion,
        )
        from tracktwo.safety.registry import ConfidentialRows, register_confidential

        on, of = "joint_text__dialogue__initiative_id", "joint_text__dialogue_id"
        register_confidential(
            ConfidentialRows(
                "amendments",
                Amendment,
                "version__joint_text__dialogue__initiative_id",
                "version__joint_text__dialogue_id",
                "created_at",
            ),
            ConfidentialRows("ranked_ballots", RankedBallot, on, of),
            ConfidentialRows("publication_approvals", Approval, on, of),
            ConfidentialRows("text_versions", TextVersion, on, of, "created_at"),
            ConfidentialRows("joint_texts", JointText, "dialogue__initiative_id", "dialogue_id"),
        )
