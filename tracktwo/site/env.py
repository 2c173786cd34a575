"""Settings read from environment variables, failing loudly on bad values.

Every reader raises :class:`ConfigurationError` naming the variable and what is
wrong with it, so a typo in a deployment stops the process at start instead of
running with a silently different configuration.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


class ConfigurationError(Exception):
    """An environment variable holds a value tracktwo cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is not a boolean: use true/false, 1/0, yes/no or on/off"
    )


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ConfigurationError(f"{name}={value} is out of range ({minimum}..{maximum})")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise ConfigurationError(f"{name}={raw!r} has an empty entry: use a comma-separated list")
    return items


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ConfigurationError(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


def data_dir() -> Path:
    """The folder for local state (SQLite database, generated secrets): ``TRACKTWO_DATA_DIR``."""
    path = Path(os.environ.get("TRACKTWO_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_config(name: str, default_sqlite: Path) -> dict[str, object]:
    """Parse a database URL (``sqlite:///path`` or ``postgres://...``) into Django's form."""
    raw = os.environ.get(name, "").strip()
    if raw == "":
        raw = f"sqlite:///{default_sqlite}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(raw, conn_max_age=None))
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ConfigurationError(f"{name} is not a usable database URL: {exc}") from None
    engine = str(config.get("ENGINE", ""))
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
        config["CONN_MAX_AGE"] = None
    elif engine == "django.db.backends.postgresql":
        # Django's backend, with a health check that looks at the socket before it asks the
        # server (tracktwo.site.postgresql.base): one round trip less per request.
        config["ENGINE"] = "tracktwo.site.postgresql"
        config["CONN_MAX_AGE"] = None
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ConfigurationError(
            f"{name}: engine {engine!r} is not supported (use sqlite or postgres)"
        )
    return config


def private_sqlite_files(config: dict[str, object]) -> None:
    """Create the SQLite database file readable by its owner only (0600, like the keys),
    and take group and world access away from an existing one and its WAL files.

    SQLite gives the ``-wal`` and ``-shm`` files the database file's permissions.
    """
    if config.get("ENGINE") != "django.db.backends.sqlite3":
        return
    name = str(config.get("NAME", ""))
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.is_dir():
        return
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for candidate in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            candidate.chmod(0o600)


# SECRET_KEY values seen in examples and tutorials, refused in production.
KNOWN_SECRET_KEYS = ("django-insecure", "changeme", "change-me", "change_me", "secret", "example")


def weak_secret_key(value: str) -> str | None:
    """Why ``value`` is too weak for production, or None."""
    if len(value) < 50:
        return "it must be at least 50 characters long"
    if len(set(value)) < 16:
        return "it repeats too few different characters"
    lowered = value.lower()
    for known in KNOWN_SECRET_KEYS:
        if known in lowered:
            return f"it contains {known!r}, as example keys do"
    return None


def secret_key(production: bool, directory: Path) -> str:
    """``SECRET_KEY`` from the environment; generated once under the data folder for local use."""
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        weakness = weak_secret_key(value)
        if len(value) < 50 or (production and weakness):
            raise ConfigurationError(
                f"SECRET_KEY is too weak: {weakness}. Generate one with: python -c "
                "'import secrets; print(secrets.token_urlsafe(64))'"
            )
        return value
    if production:
        raise ConfigurationError("SECRET_KEY is required when TRACKTWO_ENV=production")
    path = directory / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
