"""Sealed model attributes: confidential values stored encrypted under the initiative's data key.

A model declares a sealed attribute next to the ``BinaryField`` that stores it::

    class Statement(models.Model):
        text_sealed = models.BinaryField(default=b"")
        text = Sealed(TEXT, initiative="dialogue__initiative_id")

and code reads and writes it through a :class:`Box` for the owning initiative (from
:func:`tracktwo.safety.datakeys.box_for` or ``box_for_sealing``)::

    statement.text.write(box, "...")   # seals into statement.text_sealed
    statement.text.read(box)           # opens it

The associated data of every value is ``b"<app>.<Model>.<attribute>:initiative=<id>"``,
so a value copied to another column or initiative fails to open instead of showing
the wrong text. Writing through a box of another initiative raises at once, and a box
obtained for reading refuses to seal (see ``box_for_sealing``), so misuse is loud.

Every declared attribute is registered in :data:`SEALED_ATTRIBUTES`, which is how a
data-key rotation finds every row to re-encrypt, in any app.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, overload

from django.db import models

from tracktwo.safety.crypto import DecryptionError, derive_key, key_version_of, open_sealed, seal

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Box:
    """One initiative's data key, ready to seal and open values of that initiative.

    ``can_seal`` is true only for boxes from ``box_for_sealing``/key creation, which
    hold a lock that keeps a concurrent key rotation from missing the new value.
    """

    __slots__ = ("_digest_keys", "_key", "can_seal", "initiative_id", "version")

    def __init__(self, initiative_id: int, version: int, key: bytes, *, can_seal: bool) -> None:
        self.initiative_id = initiative_id
        self.version = version
        self._key = key
        self.can_seal = can_seal
        self._digest_keys: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"<Box initiative={self.initiative_id} v{self.version}>"

    def context(self, where: str) -> bytes:
        return f"{where}:initiative={self.initiative_id}".encode()

    def seal_bytes(self, plaintext: bytes, where: str) -> bytes:
        if not self.can_seal:
            raise RuntimeError(
                "this box is for reading: seal inside transaction.atomic with box_for_sealing()"
            )
        return seal(self._key, plaintext, self.context(where), key_version=self.version)

    def open_bytes(self, sealed: bytes | memoryview, where: str) -> bytes:
        raw = bytes(sealed)
        if not raw:
            raise DecryptionError(f"{where} of initiative {self.initiative_id} was never sealed")
        version = key_version_of(raw)
        if version != self.version:
            raise DecryptionError(
                f"{where} was sealed under data key v{version} of initiative "
                f"{self.initiative_id}, which now has v{self.version}: the key was rotated "
                "meanwhile, retry"
            )
        return open_sealed(self._key, raw, self.context(where))

    def seal_text(self, text: str, where: str) -> bytes:
        return self.seal_bytes(text.encode("utf-8"), where)

    def open_text(self, sealed: bytes | memoryview, where: str) -> str:
        return self.open_bytes(sealed, where).decode("utf-8")

    def digest(self, purpose: str, message: str) -> str:
        """HMAC-SHA256 (hex) of ``message`` under a key derived from the data key for ``purpose``.

        For lookups of values stored only sealed (e.g. handles unique per dialogue): equal
        inputs give equal digests, and a stolen database cannot test guesses without the key.
        """
        key = self._digest_keys.get(purpose)
        if key is None:
            key = derive_key(self._key, f"tracktwo.digest:{purpose}")
            self._digest_keys[purpose] = key
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


class Codec(Protocol[T]):
    def encode(self, value: T) -> bytes: ...
    def decode(self, raw: bytes) -> T: ...


class TextCodec:
    def encode(self, value: str) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"a sealed text must be str, not {type(value).__name__}")
        return value.encode("utf-8")

    def decode(self, raw: bytes) -> str:
        return raw.decode("utf-8")


class JsonCodec:
    def encode(self, value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def decode(self, raw: bytes) -> Any:
        return json.loads(raw.decode("utf-8"))


TEXT: Codec[str] = TextCodec()
JSON: Codec[Any] = JsonCodec()


class Sealed(Generic[T]):
    """A sealed attribute of a model, stored in the ``BinaryField`` ``<attribute>_sealed``.

    ``initiative`` is the ORM path from the model to its initiative's id, e.g.
    ``"dialogue__initiative_id"``; rotation filters rows with it and writes check it.
    """

    def __init__(self, codec: Codec[T], *, initiative: str) -> None:
        self.codec = codec
        self.initiative_path = initiative
        self.name = ""
        self.column = ""
        self.model: type[models.Model] | None = None

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        self.column = f"{name}_sealed"
        self.model = cls
        setattr(cls, name, self)
        if not cls._meta.abstract:
            SEALED_ATTRIBUTES.append(self)

    @property
    def where(self) -> str:
        """The associated data's place: ``app.Model.attribute``. A model moved to another app
        names the label it was first sealed under in ``SEALED_AS``, so its values still open."""
        assert self.model is not None
        label = getattr(self.model, "SEALED_AS", None) or self.model._meta.label
        return f"{label}.{self.name}"

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Sealed[T]: ...
    @overload
    def __get__(self, instance: models.Model, owner: type[Any]) -> BoundSealed[T]: ...
    def __get__(
        self, instance: models.Model | None, owner: type[Any]
    ) -> Sealed[T] | BoundSealed[T]:
        if instance is None:
            return self
        return BoundSealed(self, instance)

    def seal(self, box: Box, value: T) -> bytes:
        return box.seal_bytes(self.codec.encode(value), self.where)

    def open(self, box: Box, sealed: bytes | memoryview) -> T:
        return self.codec.decode(box.open_bytes(sealed, self.where))

    def owner_initiative_id(self, instance: models.Model) -> int:
        """The id of the initiative ``instance`` belongs to, following ``initiative``."""
        value: Any = instance
        for part in self.initiative_path.split("__"):
            value = value.pk if part == "pk" else getattr(value, part)
        if value is None:
            raise RuntimeError(f"{self.where}: the row is not attached to an initiative yet")
        return int(value)

    def reseal(self, initiative_id: int, old: Box, new: Box, batch: int = 500) -> int:
        """Re-encrypt this attribute in every row of the initiative from ``old`` to ``new``."""
        assert self.model is not None
        manager = self.model._default_manager
        pks = list(
            manager.filter(**{self.initiative_path: initiative_id})
            .exclude(**{self.column: b""})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(pks), batch):
            rows = manager.filter(pk__in=pks[start : start + batch]).values_list("pk", self.column)
            changed = [
                self.model(
                    pk=pk,
                    **{self.column: new.seal_bytes(old.open_bytes(sealed, self.where), self.where)},
                )
                for pk, sealed in rows
            ]
            manager.bulk_update(changed, [self.column])
        return len(pks)


class BoundSealed(Generic[T_co]):
    """A sealed attribute of one row: ``read(box)`` and ``write(box, value)``."""

    __slots__ = ("instance", "spec")

    def __init__(self, spec: Sealed[Any], instance: models.Model) -> None:
        self.spec = spec
        self.instance = instance

    @property
    def is_set(self) -> bool:
        return bool(getattr(self.instance, self.spec.column))

    def read(self, box: Box) -> T_co:
        value: T_co = self.spec.open(box, getattr(self.instance, self.spec.column))
        return value

    def write(self, box: Box, value: Any) -> None:
        owner = self.spec.owner_initiative_id(self.instance)
        if owner != box.initiative_id:
            raise RuntimeError(
                f"{self.spec.where}: a row of initiative {owner} cannot be sealed with the key "
                f"of initiative {box.initiative_id}"
            )
        setattr(self.instance, self.spec.column, self.spec.seal(box, value))


SEALED_ATTRIBUTES: list[Sealed[Any]] = []
"""Every sealed attribute of every model, registered as the models are defined."""

RekeyHook = Callable[[int, Box, Box], None]
REKEY_HOOKS: list[RekeyHook] = []
"""Functions ``(initiative_id, old_box, new_box)`` that recompute values derived from the
data key (such as handle digests) when an initiative's key is rotated."""


def register_rekey_hook(hook: RekeyHook) -> RekeyHook:
    if hook not in REKEY_HOOKS:
        REKEY_HOOKS.append(hook)
    return hook
