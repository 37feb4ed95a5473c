"""Tiny typed readers for environment variables that fail loudly on bad values.

Settings come only from the environment (see the README's table). A typo such as
``DEBUG=yes`` must stop the process, not silently mean something else.
"""

from __future__ import annotations

import os


class ConfigError(RuntimeError):
    """A setting in the environment is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("1", "true", "True"):
        return True
    if raw in ("0", "false", "False"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (got {raw!r})")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r})") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_text(name: str) -> str:
    """A multi-line secret such as a PEM key: from NAME, or read from the file named by NAME_FILE.

    The file form suits systemd credentials, Docker/Kubernetes secrets and env files that
    cannot hold newlines. Setting both is a mistake and stops the process.
    """
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise ConfigError(f"Set {name} or {name}_FILE, not both.")
    if not path:
        return value
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ConfigError(f"{name}_FILE cannot be read: {exc}") from None
