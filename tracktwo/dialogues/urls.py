"""Pages of the dialogues app.

Participants (an invitation, then a session): ``/join/<token>``, ``/join``, ``/recover``
and ``/d/<id>/...``. Conveners, facilitators and observers (signed in):
``/dialogues/...``. The dashboard is the insight app's, initiatives' own pages the
initiatives app's.
"""

from django.urls import URLPattern, URLResolver, path

from tracktwo.dialogues.views import facilitator as f
from tracktwo.dialogues.views import meetings as mt
from tracktwo.dialogues.views import moderation as m
from tracktwo.dialogues.views import participant as p
from tracktwo.dialogues.views import participant_meetings as pm
from tracktwo.dialogues.views import translations as t

app_name = "dialogues"
urlpatterns: list[URLPattern | URLResolver] = [
    # participants
    path("join/<str:token>", p.join_link, name="join-link"),
    path("join", p.join, name="join"),
    path("recover", p.recover, name="recover"),
    path("d/<int:dialogue_id>/", p.home, name="home"),
    path("d/<int:dialogue_id>/rules", p.rules, name="rules"),
    path("d/<int:dialogue_id>/vote", p.vote, name="vote"),
    path("d/<int:dialogue_id>/write", p.write, name="write"),
    path("d/<int:dialogue_id>/me", p.me, name="me"),
    path("d/<int:dialogue_id>/me/notices/read", p.read_notices, name="read-notices"),
    path(
        "d/<int:dialogue_id>/me/statements/<int:statement_id>/delete",
        p.delete_statement,
        name="delete-statement",
    ),
    path("d/<int:dialogue_id>/withdraw", p.withdraw, name="withdraw"),
    path("d/<int:dialogue_id>/results", p.results, name="results"),
    path("d/<int:dialogue_id>/meeting", pm.meeting, name="my-meeting"),
    path("d/<int:dialogue_id>/critique", pm.critique, name="critique"),
    # conveners, facilitators, observers
    path("dialogues/", f.dialogue_list, name="list"),
    path("dialogues/new", f.new_dialogue, name="new"),
    path("dialogues/<int:dialogue_id>/", f.overview, name="overview"),
    path("dialogues/<int:dialogue_id>/sessions", f.start_session, name="start-session"),
    path("dialogues/<int:dialogue_id>/phase", f.change_phase, name="phase"),
    path("dialogues/<int:dialogue_id>/agenda", mt.agenda, name="agenda"),
    path("dialogues/<int:dialogue_id>/meetings/<int:number>", mt.meeting, name="meeting"),
    path("dialogues/<int:dialogue_id>/share", f.share, name="share"),
    path("dialogues/<int:dialogue_id>/ground-rules", f.ground_rules, name="ground-rules"),
    path("dialogues/<int:dialogue_id>/invitations", f.invitations, name="invitations"),
    path(
        "dialogues/<int:dialogue_id>/invitations/<int:invitation_id>/revoke",
        f.revoke_invitation,
        name="revoke-invitation",
    ),
    path("dialogues/<int:dialogue_id>/moderation", m.moderation, name="moderation"),
    # facilitators and translators
    path("dialogues/<int:dialogue_id>/translations", t.translations, name="translations"),
]
