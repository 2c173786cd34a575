from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "tracktwo.consent"
    label = "consent"

    def ready(self) -> None:
        """Register risk profiles, consent records and assessments for retention and wipe."""
        from tracktwo.consent.models import ConsentRecord, DialogueRisk, RiskProfile, ToolAssessment
        from tracktwo.safety.registry import ConfidentialRows as Rows
        from tracktwo.safety.registry import register_confidential

        by_participant = ("participant__dialogue__initiative_id", "participant__dialogue_id")
        register_confidential(
            Rows("risk_profiles", RiskProfile, *by_participant, wipe_order=-1),
            Rows("consent_records", ConsentRecord, *by_participant, wipe_order=-1),
            Rows("assessments", ToolAssessment, "dialogue__initiative_id", "dialogue_id"),
            Rows("dialogue_risks", DialogueRisk, "dialogue__initiative_id", "dialogue_id"),
        )
