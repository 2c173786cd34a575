"""Pages of the evaluation of change: participants' under ``/d/<id>/survey``, members' under
``/dialogues/<id>/evaluation/``."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.evaluation import views as v
from tracktwo.evaluation import views_more as more

app_name = "evaluation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("d/<int:dialogue_id>/survey", v.waves, name="waves"),
    path("d/<int:dialogue_id>/survey/revote", more.revote, name="revote"),
    path("d/<int:dialogue_id>/survey/<str:wave>", v.answer, name="answer"),
    path("dialogues/<int:dialogue_id>/evaluation/", v.results, name="results"),
    path("dialogues/<int:dialogue_id>/evaluation/compose", v.compose, name="compose"),
    path("dialogues/<int:dialogue_id>/evaluation/waves", v.set_waves, name="set-waves"),
    path("dialogues/<int:dialogue_id>/evaluation/tracking", more.tracking_form, name="tracking"),
    path("dialogues/<int:dialogue_id>/evaluation/report", more.report_page, name="report"),
    path("initiatives/<int:initiative_id>/evaluation", more.initiative_page, name="initiative"),
]
