"""``s2svpn``: the one console script (render, fetch, guard, doctor, cost).

Each command lives in its own module of this package and exposes ``register(commands)``, which adds
its sub-parser and sets ``func`` (``args -> exit code``). Importing this package loads no aws_cdk:
commands import what they need when they run, so ``s2svpn --help`` stays fast.

Errors a user can act on are one line on stderr and an exit code, never a traceback:
:class:`CliError` carries both; missing AWS region or credentials map to exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from site_to_site_vpn._version import __version__
from site_to_site_vpn.cli.errors import CliError, OneLineArgumentParser, aws_error_line
from site_to_site_vpn.extras import extra_for, install_command, require_extra

#: The command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = ("render", "fetch", "guard", "doctor", "cost")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog="s2svpn",
        description="AWS Site-to-Site VPN: customer-side configs, pipeline guard, diagnosis, cost.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"site_to_site_vpn.cli.{name}")
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 findings, 2 usage or could not check)."""
    try:
        parser = build_parser()
    except ModuleNotFoundError as error:
        return _missing_extra("s2svpn", error)
    args = parser.parse_args(argv)
    handler: Handler = args.func
    try:
        require_extra(f"s2svpn {args.command}", "cli")
        return handler(args)
    except ModuleNotFoundError as error:
        return _missing_extra(f"s2svpn {args.command}", error)
    except CliError as error:
        print(f"s2svpn {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"s2svpn {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        line = aws_error_line(error)
        if line is None:
            raise
        print(f"s2svpn {args.command}: {line}", file=sys.stderr)
        return 2


def _missing_extra(prefix: str, error: ModuleNotFoundError) -> int:
    """A package of an extra is missing: one line naming the install command, exit 2.

    The commands need the ``cli`` extra (which carries the sites file's packages); cdk-nag stays
    its own ``compliance`` extra.
    """
    extra = extra_for(error)
    if extra is None:
        raise error
    extra = "compliance" if extra == "compliance" else "cli"
    missing = (error.name or "a package").partition(".")[0]
    print(f"{prefix}: {missing} is not installed: {install_command(extra)}", file=sys.stderr)
    return 2


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
