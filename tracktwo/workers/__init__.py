"""Work beyond one process: Celery workers over Redis (docs/deployment.md).

- :func:`enabled`: whether ``REDIS_URL`` is set (it imports no Celery, so that a site
  running in one process never loads it);
- :mod:`tracktwo.workers.queue`: the Celery application, configured from the settings;
- :mod:`tracktwo.workers.tasks`: the tasks (the live analysis refresh, a brief's
  rendering, a Pol.is export, an evaluation report, a file asked for on the site), started
  by ``tracktwo worker``;
- files asked for on the site and prepared on a worker: :mod:`.models` (the job),
  :mod:`.actions` (asking, preparing), :mod:`.files`, :mod:`.queries`, :mod:`.api`,
  :mod:`.views` (the job's page).

Without ``REDIS_URL`` none of this runs: ``tracktwo serve`` refreshes analyses in its own
background thread and renders briefs, exports and reports in the request, as before.
"""

from django.conf import settings


def enabled() -> bool:
    """Whether this site runs beyond one process (``REDIS_URL`` is set)."""
    return bool(getattr(settings, "TRACKTWO_REDIS_URL", ""))
