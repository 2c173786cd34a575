"""The cluster fixture (real ``tracktwo serve`` and ``tracktwo worker`` processes), and the
removal at the session's end of the migrated templates their databases are copied from."""

from cluster import cluster, cluster_templates  # noqa: F401 - fixtures
