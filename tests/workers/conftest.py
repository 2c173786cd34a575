"""The cluster fixture: real ``tracktwo serve`` and ``tracktwo worker`` processes."""

from cluster import cluster  # noqa: F401 - fixture
