"""One-line CLI errors and the AWS SDK errors a user meets before any check can run."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class CliError(Exception):
    """A failure the user can act on: printed as one line, exits with ``exit_code``."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def aws_error_line(error: BaseException) -> str | None:
    """One line for botocore's setup errors (no region, no credentials, endpoint), else None.

    botocore is imported only when an error reaches here, so commands that never call AWS do not
    pay for it.
    """
    try:
        from botocore import exceptions as bx  # noqa: PLC0415
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return None
    line: str | None = None
    if isinstance(error, bx.NoRegionError):
        line = "no AWS region: pass --region or set AWS_REGION"
    elif isinstance(error, bx.NoCredentialsError | bx.PartialCredentialsError):
        line = "no AWS credentials found (environment, profile or instance role)"
    elif isinstance(error, bx.ProfileNotFound):
        line = str(error)
    elif isinstance(error, bx.EndpointConnectionError):
        line = f"cannot reach AWS: {error}"
    elif isinstance(error, bx.ClientError):
        err = error.response.get("Error", {})
        line = f"AWS refused the call: {err.get('Code', '?')}: {err.get('Message', '')}".rstrip()
    return line


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse with usage errors as one line and exit 2 (argparse prints its usage block too)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)
