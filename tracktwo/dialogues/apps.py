from django.apps import AppConfig
from django.db.models import Model


class DialoguesConfig(AppConfig):
    name = "tracktwo.dialogues"
    label = "dialogues"

    def ready(self) -> None:
        """Register the dialogues' confidential rows with safety's retention and wipe."""
        from tracktwo.dialogues.models import (
            Dialogue,
            GroundRulesTranslation,
            HeldCritique,
            Invitation,
            MeetingNote,
            Notice,
            OpeningAcknowledgement,
            Participant,
            ParticipantIdentity,
            Session,
            Statement,
            StatementTranslation,
            Vote,
        )
        from tracktwo.safety.registry import ConfidentialRows as Rows
        from tracktwo.safety.registry import (
            DialogueModel,
            register_confidential,
            register_dialogue_model,
        )

        register_dialogue_model(DialogueModel(Dialogue))

        def of_dialogue(name: str, model: type[Model], activity: str | None = None) -> Rows:
            return Rows(name, model, "dialogue__initiative_id", "dialogue_id", activity)

        def of_participant(name: str, model: type[Model]) -> Rows:
            return Rows(
                name, model, "participant__dialogue__initiative_id", "participant__dialogue_id"
            )

        register_confidential(
            of_dialogue("votes", Vote, activity="created_at"),
            of_participant("notices", Notice),
            of_participant("identities", ParticipantIdentity),
            of_dialogue("statement_translations", StatementTranslation),
            of_dialogue("ground_rules_translations", GroundRulesTranslation),
            of_dialogue("statements", Statement, activity="created_at"),
            of_dialogue("participants", Participant, activity="joined_at"),
            of_dialogue("invitations", Invitation),
            of_dialogue("meeting-notes", MeetingNote, activity="created_at"),
            of_dialogue("held-critiques", HeldCritique, activity="created_at"),
            of_dialogue("opening-acknowledgements", OpeningAcknowledgement),
            of_dialogue("sessions", Session, activity="created_at"),
            Rows("dialogues", Dialogue, initiative="initiative_id", wipe_order=30),
        )
