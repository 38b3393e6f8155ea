"""The key file: an Ed25519 signing key and the fingerprint master secret, kept outside the database.

Someone who can write the database can rewrite the audit chain and recompute every hash; what they
cannot do is sign a checkpoint with a key they never held (see accord.checkpoints). The same file
holds the master secret that seals each negotiation's fingerprint secret (see :func:`seal`): the
database keeps only the sealed form, so its owner cannot compute which wordings mark which copy.

The file is small text (mode 0600)::

    accord-key 1
    key-id ed25519:<public key, base64>
    signing-key <Ed25519 private key, base64>
    fingerprint-secret <32 bytes, hex>

and the public key file, which is all that verifying a checkpoint needs::

    accord-public-key 1
    key-id ed25519:<public key, base64>

Where the key file is: ``--key-file``, else ``$ACCORD_KEY_FILE``, else next to an SQLite database
(``accord.db`` -> ``accord.key``), else (PostgreSQL) ``$XDG_CONFIG_HOME/accord/HOST-DBNAME.key``
(``~/.config/accord/...``). cryptography is imported when a key is used, not at start-up.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import KeyFileError

ENVIRONMENT_VARIABLE = "ACCORD_KEY_FILE"
ALGORITHM = "ed25519"
_KEY_HEADER = "accord-key 1"
_PUBLIC_HEADER = "accord-public-key 1"
_SEALED = "sealed"


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key; its id (``ed25519:`` + the key in base64) names it in checkpoints."""

    raw: bytes

    @property
    def key_id(self) -> str:
        return f"{ALGORITHM}:{base64.b64encode(self.raw).decode()}"

    @classmethod
    def from_key_id(cls, key_id: str) -> PublicKey:
        algorithm, _, encoded = key_id.partition(":")
        if algorithm != ALGORITHM:
            raise KeyFileError(f"key id {key_id!r}: expected {ALGORITHM}:<public key in base64>")
        raw = _b64(encoded, "key id")
        if len(raw) != 32:
            raise KeyFileError(f"key id {key_id!r}: an Ed25519 public key has 32 bytes, not {len(raw)}")
        return cls(raw)

    def verifies(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def text(self) -> str:
        return (
            "# accord public key: verifies audit checkpoints "
            "(`accord audit verify --checkpoint FILE --public-key THIS_FILE`)\n"
            f"{_PUBLIC_HEADER}\nkey-id {self.key_id}\n"
        )


@dataclass(frozen=True)
class KeyFile:
    """The signing key (its 32-byte private seed) and the fingerprint master secret (neither is ever
    shown: not in a repr, a log line or a test's assertion message)."""

    signing_key: bytes = field(repr=False)
    fingerprint_secret: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> KeyFile:
        return cls(secrets.token_bytes(32), secrets.token_bytes(32))

    @property
    def public(self) -> PublicKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return PublicKey(
            Ed25519PrivateKey.from_private_bytes(self.signing_key).public_key().public_bytes_raw()
        )

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.signing_key).sign(message)

    def text(self) -> str:
        return (
            "# accord key file: keep it secret, and out of reach of whoever can write the database.\n"
            "# It signs audit checkpoints and seals the fingerprint secrets of leak-traceable copies:\n"
            "# back it up (without it, copies exported so far cannot be traced).\n"
            f"{_KEY_HEADER}\n"
            f"key-id {self.key_id}\n"
            f"signing-key {base64.b64encode(self.signing_key).decode()}\n"
            f"fingerprint-secret {self.fingerprint_secret.hex()}\n"
        )


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"{what}: not base64") from None


def _fields(text: str, header: str, path: Path) -> dict[str, str]:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines or lines[0] != header:
        raise KeyFileError(f"{path}: not an accord {'public key' if 'public' in header else 'key'} file")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(" ")
        fields[name] = value.strip()
    return fields


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(
            f"no key file at {path}: create one with `accord keys init` (or point ${ENVIRONMENT_VARIABLE} "
            "or --key-file at yours)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(
            f"cannot read key file {path}: {getattr(error, 'strerror', None) or error}"
        ) from None


def load(path: Path) -> KeyFile:
    """The key file at ``path`` (KeyFileError naming the path when it is missing or malformed)."""
    fields = _fields(_read(path), _KEY_HEADER, path)
    try:
        key = KeyFile(_b64(fields["signing-key"], "signing-key"), bytes.fromhex(fields["fingerprint-secret"]))
    except KeyError as missing:
        raise KeyFileError(f"{path}: no {missing.args[0]} line") from None
    except ValueError:
        raise KeyFileError(f"{path}: fingerprint-secret is not hex") from None
    if len(key.signing_key) != 32 or len(key.fingerprint_secret) != 32:
        raise KeyFileError(f"{path}: the signing key and the fingerprint secret have 32 bytes each")
    if fields.get("key-id", key.key_id) != key.key_id:
        raise KeyFileError(f"{path}: its key-id does not belong to its signing key (the file was edited)")
    return key


def load_public(path: Path) -> PublicKey:
    """A public key file, or the public half of a key file."""
    text = _read(path)
    if _KEY_HEADER in text.splitlines():
        return load(path).public
    fields = _fields(text, _PUBLIC_HEADER, path)
    if "key-id" not in fields:
        raise KeyFileError(f"{path}: no key-id line")
    return PublicKey.from_key_id(fields["key-id"])


def public_path(path: Path) -> Path:
    """Where the public key file goes by default: next to the key file, ``.pub`` appended."""
    return path.with_name(path.name + ".pub")


def create(path: Path, public: Path | None = None) -> KeyFile:
    """A new key, written to ``path`` with mode 0600 (refusing to overwrite a file that exists), and
    its public key file (``public``, default :func:`public_path`)."""
    key = KeyFile.generate()
    write_private(path, key.text())
    write_public(public or public_path(path), key.public)
    return key


def write_public(path: Path, public: PublicKey) -> None:
    try:
        path.write_text(public.text(), encoding="utf-8")
    except OSError as error:
        raise KeyFileError(f"cannot write public key file {path}: {error.strerror}") from None


def write_private(path: Path, text: str) -> None:
    """Write a new file only its owner may read (0600 from the start: never readable by others, not
    even for a moment); refuse when it exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path} exists already; accord never overwrites a key file") from None
    except OSError as error:
        raise KeyFileError(f"cannot write key file {path}: {error.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)  # whatever the umask
        file.write(text)


def ensure(path: Path) -> bool:
    """Create a key at ``path`` unless one is there; True when it was created."""
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KeyFileError(f"cannot create the folder of key file {path}: {error.strerror}") from None
    try:
        create(path)
    except KeyFileError:
        if path.exists():  # another process created it meanwhile
            return False
        raise
    return True


def key_path(database_url: str, given: str | Path | None = None) -> Path:
    """``given`` (the --key-file flag) wins, then $ACCORD_KEY_FILE, then the default for the database:
    next to an SQLite file (``accord.db`` -> ``accord.key``), else in the user's configuration folder."""
    chosen = given or os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    return default_key_path(database_url)


def default_key_path(database_url: str) -> Path:
    import sqlalchemy as sa

    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database or "")
        return (
            database.with_suffix(".key")
            if database.suffix != ".key"
            else database.with_name(database.name + ".key")
        )
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{url.host or 'local'}-{url.database or 'accord'}")
    return config / "accord" / f"{name}.key"


# -- the fingerprint secrets of leak-traceable copies, sealed under the key file --------------------------


def is_sealed(stored: str) -> bool:
    return stored.startswith(_SEALED + " ")


def _pad(key: KeyFile, salt: bytes) -> bytes:
    return hmac.new(key.fingerprint_secret, b"accord leak secret\x00" + salt, hashlib.sha256).digest()


def seal(key: KeyFile, secret: str) -> str:
    """A negotiation's fingerprint secret (64 hex digits) as the database keeps it: XOR-ed with a pad
    HMAC-SHA256(master secret, random salt), so only the key file's holder can read it back.
    ``sealed KEY-ID SALT CIPHERTEXT``."""
    salt = secrets.token_bytes(16)
    sealed = bytes(a ^ b for a, b in zip(bytes.fromhex(secret), _pad(key, salt), strict=True))
    return f"{_SEALED} {key.key_id} {salt.hex()} {sealed.hex()}"


def unseal(key: KeyFile, stored: str, *, where: str, path: Path) -> str:
    """The fingerprint secret sealed in ``stored`` (KeyFileError when another key sealed it)."""
    parts = stored.split(" ")
    if len(parts) != 4 or parts[0] != _SEALED:
        raise KeyFileError(f"the fingerprint secret of {where} is not in a form this accord reads")
    _, key_id, salt, sealed = parts
    if key_id != key.key_id:
        raise KeyFileError(
            f"the fingerprint secret of {where} is sealed under key {key_id}; the key file {path} holds "
            f"{key.key_id}: point ${ENVIRONMENT_VARIABLE} or --key-file at the key it was sealed under"
        )
    return bytes(
        a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(key, bytes.fromhex(salt)), strict=True)
    ).hex()


def sealed_key_id(stored: str) -> str | None:
    """The key a stored fingerprint secret is sealed under (None for a secret kept in the clear)."""
    return stored.split(" ")[1] if is_sealed(stored) else None
