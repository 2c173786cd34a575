"""Machine translation of statements, on the operator's own machines only.

No backend ships and none is configured by default: tracktwo was not tested here against
a real translation server or model, so it offers the interface and the guard alone (see
docs/user-guide.md, "Across languages"). An operator who runs one (a LibreTranslate
server on their network, an Argos Translate model on the host) writes a class with the
:class:`Backend` shape and names it in ``TRACKTWO_MACHINE_TRANSLATION`` (dotted path),
with its address in ``TRACKTWO_MACHINE_TRANSLATION_URL``.

Confidential text never goes to an outside service: :func:`check_local` refuses an
address that is not loopback, private or link-local -- a host name is resolved and every
address it resolves to must be local, an unresolvable one is refused -- unless the
operator sets ``TRACKTWO_MACHINE_TRANSLATION_ALLOW_REMOTE=true``. A machine's translation
waits for a person's review before participants read it (unless the convener chose
otherwise for the dialogue).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.actions.translations import translate_statement
from tracktwo.dialogues.models import Statement, StatementTranslation
from tracktwo.dialogues.queries.translations import originals
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, DialogueError
from tracktwo.safety.datakeys import box_for


class NotLocal(DialogueError):
    """The machine translation address is outside the operator's network."""

    http_status = 409


class Backend(Protocol):
    """What a machine translation backend offers: built with its address, one call."""

    def __init__(self, url: str) -> None: ...

    def translate(self, text: str, source: str, target: str) -> str:
        """``text`` from language ``source`` into ``target`` (codes such as ``"ar"``)."""
        ...


def _local_ip(value: str) -> bool:
    address = ipaddress.ip_address(value.split("%")[0])
    return address.is_loopback or address.is_private or address.is_link_local


def check_local(url: str, *, allow_remote: bool = False) -> str:
    """``url`` if its host is on this machine or the operator's own network, else NotLocal.

    ``allow_remote`` (the operator's explicit choice) lets any address through.
    """
    host = urlsplit(url).hostname if "://" in url else None
    if not host:
        raise NotLocal(_("the machine translation address %(url)r has no host") % {"url": url})
    if allow_remote:
        return url
    try:
        local = _local_ip(host)
    except ValueError:
        try:
            found = {info[4][0] for info in socket.getaddrinfo(host, None)}
        except OSError:
            found = set()
        local = bool(found) and all(_local_ip(str(ip)) for ip in found)
    if not local:
        raise NotLocal(
            _(
                "the machine translation address %(url)r is not on this machine or its "
                "network; confidential text never leaves it"
            )
            % {"url": url}
        )
    return url


def configured() -> Backend | None:
    """The operator's backend, its address checked; None when none is configured."""
    path = settings.TRACKTWO_MACHINE_TRANSLATION
    if not path:
        return None
    url = check_local(
        settings.TRACKTWO_MACHINE_TRANSLATION_URL,
        allow_remote=settings.TRACKTWO_MACHINE_TRANSLATION_ALLOW_REMOTE,
    )
    backend_class = import_string(path)
    backend: Backend = backend_class(url)
    return backend


def machine_translate(statement: Statement, language: str, by: User) -> StatementTranslation:
    """Ask the configured backend for ``statement`` in ``language``; it waits for review."""
    dialogue = statement.dialogue
    permissions.require(permissions.can_translate(by, dialogue), _("translate statements"))
    backend = configured()
    if backend is None:
        raise Conflict(_("no machine translation is configured on this server"))
    source = originals(dialogue, [statement.pk])[statement.pk]
    text = backend.translate(statement.text.read(box_for(dialogue.initiative_id)), source, language)
    return translate_statement(statement, language, text, by, machine=True)
