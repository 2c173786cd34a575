"""The Celery application of tracktwo, with Redis (``REDIS_URL``) as broker and result store.

Nothing of the site is imported here, so that any app may enqueue work by the task's name
(:func:`send`) without importing the tasks. The configuration is read from the Django
settings when Celery first needs it, that is after ``django.setup()``.

Delivery: a task is acknowledged only when it has finished (``acks_late``), and a worker
killed while running one gives it back to the queue (``task_reject_on_worker_lost``; Redis
redelivers an unacknowledged task after :data:`VISIBILITY_TIMEOUT`). Every task is
therefore written to be run twice safely (see :mod:`tracktwo.workers.tasks`). Arguments and
results are JSON and carry ids and paths only, never a participant's content.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from django.conf import settings

from tracktwo.workers import enabled

__all__ = ["QUEUE", "app", "configuration", "enabled", "send"]

QUEUE = "tracktwo"
VISIBILITY_TIMEOUT = 120  # seconds before Redis hands an unacknowledged task to another worker


def configuration() -> dict[str, Any]:
    """Celery's settings for this site (read when Celery first needs them)."""
    url = settings.TRACKTWO_REDIS_URL
    return {
        "broker_url": url,
        "result_backend": url,
        "result_expires": 3600,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {"visibility_timeout": VISIBILITY_TIMEOUT},
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 3,
        "redis_socket_connect_timeout": 3,
        "redis_socket_timeout": 10,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "task_send_sent_event": False,
        "enable_utc": True,
    }


class _Config:
    """Celery reads this object's attributes lazily, at the first use of ``app.conf``."""

    def __getattr__(self, name: str) -> Any:
        values = configuration()
        if name in values:
            return values[name]
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return list(configuration())


app = Celery("tracktwo", include=["tracktwo.workers.tasks"], set_as_current=False)
app.config_from_object(_Config())


def send(name: str, *args: Any) -> Any:
    """Enqueue the task ``name`` (e.g. ``"tracktwo.refresh"``); returns its ``AsyncResult``."""
    return app.send_task(name, args=list(args), queue=QUEUE)
