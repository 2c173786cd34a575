import base64
import stat
from pathlib import Path

import pytest

from tracktwo.safety import keys
from tracktwo.safety.crypto import DecryptionError, new_key


def test_it_generates_a_private_key_file_for_local_use(private_master_key: Path) -> None:
    assert not private_master_key.exists()
    key = keys.master_key()
    assert private_master_key.exists()
    assert stat.S_IMODE(private_master_key.stat().st_mode) == 0o600
    assert base64.b64decode(private_master_key.read_text()) == key
    keys.forget_master_key()
    assert keys.master_key() == key


def test_it_requires_the_file_in_production(
    private_master_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKTWO_ENV", "production")
    with pytest.raises(keys.MasterKeyError, match="TRACKTWO_MASTER_KEY_FILE"):
        keys.master_key()
    assert not private_master_key.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [("not base64!!", "not base64"), (base64.b64encode(b"short").decode(), "must be 32 bytes")],
)
def test_it_names_what_is_wrong_with_a_bad_key_file(
    private_master_key: Path, content: str, message: str
) -> None:
    private_master_key.parent.mkdir(parents=True)
    private_master_key.write_text(content)
    with pytest.raises(keys.MasterKeyError, match=message) as caught:
        keys.master_key()
    assert str(private_master_key) in str(caught.value)


def test_it_wraps_data_keys_bound_to_their_initiative_and_version() -> None:
    master, data_key = new_key(), new_key()
    wrapped = keys.wrap_data_key(data_key, 7, 1, master)
    assert keys.unwrap_data_key(wrapped, 7, 1, master) == data_key
    for initiative, version, other_master in ((8, 1, master), (7, 2, master), (7, 1, new_key())):
        with pytest.raises(DecryptionError):
            keys.unwrap_data_key(wrapped, initiative, version, other_master)


def test_it_names_a_key_file_it_cannot_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key file the account cannot reach (here: a name longer than the file system allows,
    as a folder closed to the service account would be) is a one-line MasterKeyError naming
    the file, in local use and in production, when reading and when writing."""
    unreachable = tmp_path / ("k" * 300) / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(unreachable))
    keys.forget_master_key()
    for env in ("local", "production"):
        monkeypatch.setenv("TRACKTWO_ENV", env)
        with pytest.raises(keys.MasterKeyError, match="cannot reach the master key file") as got:
            keys.master_key()
        assert str(unreachable) in str(got.value)
    with pytest.raises(keys.MasterKeyError, match="cannot write the master key file"):
        keys.write_master_key(tmp_path / ("k" * 300), new_key())
    keys.forget_master_key()
