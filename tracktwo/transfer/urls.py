"""Pages of the transfer app.

Conveners and facilitators: ``/briefs/dialogues/<id>/`` (editor, preview), ``/briefs/<id>/``
(issue, copies, file copy), ``/initiatives/<id>/transfer`` (hub), ``.../transfer-log``,
``.../timeline``, ``.../trace`` (conveners). Liaisons: ``/briefs/open/<token>`` (the link
they receive), ``/briefs/mine``, ``/briefs/copies/<id>/``.
"""

from django.urls import URLPattern, URLResolver, path

from tracktwo.transfer import views, views_log, views_recipient

app_name = "transfer"
urlpatterns: list[URLPattern | URLResolver] = [
    # conveners and facilitators: briefs
    path("briefs/dialogues/<int:dialogue_id>/", views.editor, name="editor"),
    path("briefs/dialogues/<int:dialogue_id>/preview", views.preview, name="preview"),
    path("briefs/<int:brief_id>/", views.brief_detail, name="brief"),
    path("briefs/<int:brief_id>/issue", views.issue, name="issue"),
    path("briefs/<int:brief_id>/file-copy", views.file_copy, name="file-copy"),
    path("briefs/<int:brief_id>/copies/<int:recipient_id>/revoke", views.revoke, name="revoke"),
    # liaisons
    path("briefs/open/<str:token>", views_recipient.open_link, name="open-link"),
    path("briefs/open", views_recipient.open_pending, name="open-pending"),
    path("briefs/mine", views_recipient.mine, name="mine"),
    path("briefs/copies/<int:recipient_id>/", views_recipient.copy, name="copy"),
    path(
        "briefs/copies/<int:recipient_id>/<str:fmt>",
        views_recipient.copy_file,
        name="copy-file",
    ),
    # the initiative's transfer work
    path("initiatives/<int:initiative_id>/transfer", views_log.hub, name="hub"),
    path("initiatives/<int:initiative_id>/transfer-log", views_log.transfer_log, name="log"),
    path("transfer-log/<int:entry_id>/edit", views_log.edit_entry, name="entry"),
    path("initiatives/<int:initiative_id>/timeline", views_log.timeline, name="timeline"),
    path("initiatives/<int:initiative_id>/trace", views_recipient.trace_page, name="trace"),
]
