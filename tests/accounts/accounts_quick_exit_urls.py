"""The site's URLs plus one page with the quick-exit control on, for the browser test."""

from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from tracktwo.site.urls import urlpatterns as site_urlpatterns

PAGE = Template(
    '{% extends "base.html" %}'
    "{% block quick_exit %}{% with quick_exit=True %}{{ block.super }}{% endwith %}{% endblock %}"
    "{% block content %}<h1>Vote on a statement</h1>{% endblock %}"
)


def participant_page(request: HttpRequest) -> HttpResponse:
    request.session["tracktwo.participant"] = 1
    return HttpResponse(PAGE.render(RequestContext(request)))


urlpatterns = [path("participant-page", participant_page), *site_urlpatterns]
