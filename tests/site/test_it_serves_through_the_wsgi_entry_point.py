"""``tracktwo.site.wsgi``: the two lanes, the URLconf imported before the first request, and
live analyses refreshed in the background in a served process (granian is not gunicorn,
which ``tracktwo.insight.service`` used to detect by name)."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
import tracktwo.site.wsgi as wsgi
from django.conf import settings
from tracktwo.insight import service as live
print(json.dumps({
    "application": type(wsgi.application).__name__,
    "urlconf_loaded": "tracktwo.site.urls" in sys.modules,
    "background": live._background_enabled(),
    "vote_entry": wsgi.application.votes.enabled,
}))
"""


def test_it_builds_the_lanes_and_runs_live_analysis_in_the_background(tmp_path: Path) -> None:
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path)}
    environ.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "application": "Lanes",
        "urlconf_loaded": True,
        "background": True,
        "vote_entry": True,  # tracktwo.site.vote_entry applies to the site's own settings
    }
