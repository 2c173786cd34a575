from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "tracktwo.circles"
    label = "circles"

    def ready(self) -> None:
        """Register circles, their rounds and reflections with retention and the wipe."""
        from tracktwo.circles.models import Circle, Reflection, Round
        from tracktwo.safety.registry import ConfidentialRows, register_confidential

        register_confidential(
            ConfidentialRows(
                "reflections",
                Reflection,
                "round__circle__dialogue__initiative_id",
                "round__circle__dialogue_id",
                "created_at",
            ),
            ConfidentialRows(
                "circle_rounds", Round, "circle__dialogue__initiative_id", "circle__dialogue_id"
            ),
            ConfidentialRows("circles", Circle, "dialogue__initiative_id", "dialogue_id"),
        )
