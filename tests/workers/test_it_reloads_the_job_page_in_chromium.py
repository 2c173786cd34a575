"""In Chromium with script turned off: asking for a brief's PDF with workers lands on the
job's page, which reloads by itself until the worker is done, then offers the file."""

from __future__ import annotations

from typing import Any

import pytest
from cluster import Cluster
from test_it_shows_a_file_being_prepared_on_its_page import SIGN_IN

pytestmark = [pytest.mark.browser, pytest.mark.database]


def test_it_reloads_until_the_file_is_ready(cluster: Cluster, browser: Any) -> None:
    seeded = cluster.seed(voters=4, statements=3)
    _, port = cluster.serve()
    name, value = cluster.django(SIGN_IN.format(username="cluster-facilitator")).strip().split("=")
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{"name": name, "value": value, "url": f"http://127.0.0.1:{port}"}])
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/briefs/dialogues/{seeded['dialogue']}/preview?format=pdf")
    assert "/jobs/" in page.url
    page.get_by_text("Your file is being prepared").wait_for()
    cluster.worker()  # only now: the page must reload by itself to see the file
    link = page.get_by_role("link", name="Download brief-dialogue-")
    link.wait_for(timeout=90_000)
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename.endswith(".pdf")
    context.close()
