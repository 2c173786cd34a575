"""Pages of risk and consent: the participant's own (``/d/<id>/me/...``) and the
conveners' safeguards (``/dialogues/<id>/safeguards``) and the risk profiles participants
shared with the calling convener (``.../safeguards/risk-profiles``)."""

from django.urls import URLPattern, path

from tracktwo.consent import views as v

app_name = "consent"
urlpatterns: list[URLPattern] = [
    path("d/<int:dialogue_id>/me/risk", v.risk, name="risk"),
    path("d/<int:dialogue_id>/me/consent", v.consent, name="consent"),
    path("d/<int:dialogue_id>/me/consent/withdraw", v.withdraw_consent, name="withdraw"),
    path("d/<int:dialogue_id>/me/data", v.data, name="data"),
    path("d/<int:dialogue_id>/me/delete", v.delete, name="delete"),
    path("dialogues/<int:dialogue_id>/safeguards", v.safeguards, name="safeguards"),
    path(
        "dialogues/<int:dialogue_id>/safeguards/risk-profiles",
        v.risk_profiles,
        name="risk-profiles",
    ),
]
