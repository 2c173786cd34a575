from django.apps import AppConfig


class SustainedConfig(AppConfig):
    name = "tracktwo.sustained"
    label = "sustained"

    def ready(self) -> None:
        """Register stage markers, memoranda, relationship maps and scenario worksheets with
        retention and the wipe: they go with their dialogue's content."""
        from tracktwo.safety.registry import ConfidentialRows, register_confidential
        from tracktwo.sustained.models import (
            Memorandum,
            RelationshipMap,
            ScenarioWorksheet,
            StageTransition,
        )

        on = "dialogue__initiative_id"
        register_confidential(
            ConfidentialRows("stage_transitions", StageTransition, on, "dialogue_id"),
            ConfidentialRows("memoranda", Memorandum, on, "dialogue_id", "updated_at"),
            ConfidentialRows("relationship_maps", RelationshipMap, on, "dialogue_id", "saved_at"),
            ConfidentialRows("scenario_worksheets", ScenarioWorksheet, on, "dialogue_id"),
        )
