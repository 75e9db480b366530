"""``auditapp keys …``: this data folder's signing key and the signers it trusts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import output_file


@command("keys list", help="this computer's signing key and the package signers it trusts", json=True)
def list_keys(ctx: Context) -> Any:
    from auditapp.sync.signing import trusted_keys

    return trusted_keys(ctx.data_dir)


@list_keys.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [[k.fingerprint, "this computer" if k.own else k.label, k.added_at or "-"] for k in rows],
        ["fingerprint", "signer", "trusted since"],
    )


@command(
    "keys trust",
    help="accept the signer of a package into the trust list (check the fingerprint with the sender first)",
    json=True,
    args=[arg("file", metavar="FILE.auditpkg"), arg("--label", metavar="NAME", help="what to call the signer")],
)
def trust(ctx: Context) -> Any:
    from auditapp.sync.package import read_package
    from auditapp.sync.signing import check_signature
    from auditapp.sync.signing import trust as do_trust

    path = Path(ctx.args.file)
    package = read_package(path)  # validated whole, like an import
    close = getattr(package.changeset.files, "close", None)
    if close is not None:
        close()
    signer = check_signature(path, ctx.data_dir)
    return do_trust(ctx.data_dir, signer, ctx.args.label)


@trust.text
def _trust_text(key: Any, _ctx: Context) -> None:
    print(f"trusted {key.label or '?'} (fingerprint {key.fingerprint})")


@command(
    "keys untrust",
    help="remove a signer from the trust list",
    json=True,
    args=[arg("fingerprint", metavar="FINGERPRINT", help="as 'keys list' shows it (spaces optional)")],
)
def untrust(ctx: Context) -> Any:
    from auditapp.sync.signing import untrust as do_untrust

    return do_untrust(ctx.data_dir, ctx.args.fingerprint)


@untrust.text
def _untrust_text(key: Any, _ctx: Context) -> None:
    print(f"no longer trusted: {key.label or '?'} (fingerprint {key.fingerprint})")


@command(
    "keys create",
    help="make an encryption key pair (X25519) in a passphrase-protected file, for receiving encrypted packages",
    json=True,
    args=[output_file("KEYFILE")],
)
def create(ctx: Context) -> Any:
    from auditapp.sync import encryption

    fp = encryption.create_key(ctx.args.output, encryption.passphrase(confirm=True))
    return {"path": str(ctx.args.output), "fingerprint": fp}


@create.text
def _create_text(value: dict[str, str], _ctx: Context) -> None:
    print(f"wrote {value['path']} (fingerprint {value['fingerprint']}); keep it and its passphrase safe")


@command(
    "keys export-public",
    help="write the public half of an encryption key, to give to those who send you packages",
    json=True,
    args=[arg("keyfile", metavar="KEYFILE"), output_file("PUBFILE")],
)
def export_public(ctx: Context) -> Any:
    from auditapp.sync import encryption

    key = encryption.load_private(Path(ctx.args.keyfile), encryption.passphrase())
    fp = encryption.export_public(key, ctx.args.output)
    return {"path": str(ctx.args.output), "fingerprint": fp}


@export_public.text
def _export_public_text(value: dict[str, str], _ctx: Context) -> None:
    print(f"wrote {value['path']} (fingerprint {value['fingerprint']})")
