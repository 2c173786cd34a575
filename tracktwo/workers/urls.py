"""Pages of files prepared on workers (``/jobs/<key>/``)."""

from django.urls import URLPattern, URLResolver, path

from tracktwo.workers import views

app_name = "workers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("jobs/<str:key>/", views.job_page, name="job"),
    path("jobs/<str:key>/file", views.job_file, name="file"),
]
