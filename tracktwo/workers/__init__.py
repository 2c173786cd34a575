"""Work beyond one process: Celery workers over Redis (docs/deployment.md).

- :mod:`tracktwo.workers.queue`: the Celery application, configured from the settings
  (``REDIS_URL``), and :func:`~tracktwo.workers.queue.enabled`;
- :mod:`tracktwo.workers.tasks`: the tasks (the live analysis refresh, a brief's
  rendering, a Pol.is export, an evaluation report), started by ``tracktwo worker``.

Without ``REDIS_URL`` nothing here runs: ``tracktwo serve`` refreshes analyses in its own
background thread and renders briefs in the request, as before.
"""
