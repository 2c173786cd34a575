from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tracktwo.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        """Register the surveys, their answers and the outcome register with safety's retention and wipe."""
        from tracktwo.evaluation.models import (
            Indicator,
            Outcome,
            Response,
            ReVoteRound,
            Survey,
            TheoryOfChange,
            TrackingStatement,
        )
        from tracktwo.safety.registry import ConfidentialRows, register_confidential

        register_confidential(
            ConfidentialRows(
                "survey_responses",
                Response,
                "survey__dialogue__initiative_id",
                "survey__dialogue_id",
            ),
            ConfidentialRows("surveys", Survey, "dialogue__initiative_id", "dialogue_id"),
            ConfidentialRows("outcomes", Outcome, initiative="initiative_id", wipe_order=15),
            ConfidentialRows(
                "tracking_statements", TrackingStatement, "dialogue__initiative_id", "dialogue_id"
            ),
            ConfidentialRows(
                "revote_rounds", ReVoteRound, "dialogue__initiative_id", "dialogue_id"
            ),
            ConfidentialRows(
                "theories_of_change", TheoryOfChange, initiative="initiative_id", wipe_order=15
            ),
            ConfidentialRows("indicators", Indicator, initiative="initiative_id", wipe_order=15),
        )
