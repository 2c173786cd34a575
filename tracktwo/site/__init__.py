"""The Django site: settings, URLs and the WSGI entry point."""
