import pytest

from tracktwo.safety.crypto import (
    DecryptionError,
    derive_key,
    key_version_of,
    new_key,
    open_sealed,
    seal,
)

CONTEXT = b"dialogues.Statement.text:initiative=7"


def test_it_opens_what_it_sealed() -> None:
    key = new_key()
    sealed = seal(key, "Water is life — الماء حياة".encode(), CONTEXT, key_version=3)
    assert sealed.startswith(b"T2\x01")
    assert key_version_of(sealed) == 3
    assert open_sealed(key, sealed, CONTEXT).decode() == "Water is life — الماء حياة"
    assert b"Water" not in sealed


def test_it_seals_the_same_text_differently_each_time() -> None:
    key = new_key()
    assert seal(key, b"same", CONTEXT) != seal(key, b"same", CONTEXT)


@pytest.mark.parametrize(
    "context",
    [
        b"dialogues.Statement.text:initiative=8",
        b"dialogues.Participant.handle:initiative=7",
        b"",
    ],
)
def test_it_refuses_to_open_in_another_context(context: bytes) -> None:
    key = new_key()
    sealed = seal(key, b"secret", CONTEXT)
    with pytest.raises(DecryptionError):
        open_sealed(key, sealed, context)


def test_it_refuses_a_wrong_key_or_tampering() -> None:
    key = new_key()
    sealed = seal(key, b"secret", CONTEXT)
    with pytest.raises(DecryptionError):
        open_sealed(new_key(), sealed, CONTEXT)
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    with pytest.raises(DecryptionError):
        open_sealed(key, bytes(flipped), CONTEXT)
    version_changed = bytearray(sealed)
    version_changed[6] ^= 1
    with pytest.raises(DecryptionError):
        open_sealed(key, bytes(version_changed), CONTEXT)
    with pytest.raises(DecryptionError):
        open_sealed(key, sealed[:20], CONTEXT)
    with pytest.raises(DecryptionError):
        open_sealed(key, b"XX" + sealed[2:], CONTEXT)


def test_it_derives_distinct_keys_per_purpose() -> None:
    master = new_key()
    assert derive_key(master, "accounts.totp") == derive_key(master, "accounts.totp")
    assert derive_key(master, "accounts.totp") != derive_key(master, "other")
    assert derive_key(master, "accounts.totp") != derive_key(new_key(), "accounts.totp")
    assert len(derive_key(master, "x")) == 32
