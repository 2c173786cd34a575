"""A dialogue across languages: a statement's original language and its translations.

A statement stays one row (one id), so votes pool across languages. Its original
language is in :class:`StatementLanguage`; each translation in
:class:`StatementTranslation`, sealed like the statement's text, with how it was made
(a facilitator, a translator, a machine) and whether a person reviewed it. Who made a
translation is kept for the audit trail only, never shown. :class:`LanguageSettings`
holds the convener's choice to show machine translations before review, and
:class:`GroundRulesTranslation` a dialogue's custom ground rules in one more language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tracktwo.practice.formats import TranslationMethod, TranslationReview
from tracktwo.safety.sealed import JSON, TEXT, Sealed


class StatementLanguage(models.Model):
    """The language a statement was written in (absent: the dialogue's first language)."""

    statement = models.OneToOneField(
        "dialogues.Statement", on_delete=models.CASCADE, related_name="language_row"
    )
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)

    def __str__(self) -> str:
        return f"statement {self.statement_id} in {self.language}"


class StatementTranslation(models.Model):
    """One statement's text in one more language; sealed under the initiative's key."""

    statement = models.ForeignKey(
        "dialogues.Statement", on_delete=models.CASCADE, related_name="translations"
    )
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="dialogue__initiative_id")
    method = models.CharField(max_length=12, choices=TranslationMethod.choices)
    review = models.CharField(
        max_length=12, choices=TranslationReview.choices, default=TranslationReview.UNREVIEWED
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("statement_id", "language")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["statement", "language"], name="statement_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id} in {self.language} ({self.method})"


class LanguageSettings(models.Model):
    """A dialogue's languages: the first (default) one and the convener's machine choice."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="language_settings"
    )
    first_language = models.CharField(max_length=12, default="en")
    show_unreviewed_machine = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"languages of dialogue {self.dialogue_id}"


class GroundRulesTranslation(models.Model):
    """A dialogue's custom ground rules in one more language (sealed, like the originals)."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="ground_rules_translations"
    )
    language = models.CharField(max_length=12)
    rules_sealed = models.BinaryField(default=b"")
    rules = Sealed[list[str]](JSON, initiative="dialogue__initiative_id")

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["dialogue", "language"], name="ground_rules_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"ground rules of dialogue {self.dialogue_id} in {self.language}"
