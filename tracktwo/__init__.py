"""tracktwo: self-hosted software for Track Two diplomacy."""

__version__ = "0.1.0"
