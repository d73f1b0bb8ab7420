"""libreswan's pluto and BIRD 2 inside lab namespaces (the lab's second customer-side stack).

Debian 12's ``libreswan`` package conflicts with ``strongswan-libcharon``/``strongswan-starter``,
which the lab's strongSwan side needs, so it is unpacked (``dpkg-deb -x``) into a private prefix,
as ``.ci/run`` does, and pluto runs from there with explicit paths for everything it touches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

LIBRESWAN_PREFIX: Final = Path("/opt/s2svpn-lab/libreswan")
LIBEXEC: Final = LIBRESWAN_PREFIX / "usr/libexec/ipsec"
PLUTO: Final = LIBEXEC / "pluto"
WHACK: Final = LIBEXEC / "whack"
#: libreswan's own dependencies that do not conflict with strongSwan (apt-cache show libreswan).
DEPENDENCIES: Final = (
    *("libnss3-tools", "libunbound8", "libldns3", "libcurl3-nss", "libevent-core-2.1-7"),
    *("libevent-pthreads-2.1-7", "libcap-ng0", "libaudit1", "libldap-2.5-0", "libnspr4"),
    *("libnss3", "libpam0g", "libselinux1", "libsystemd0", "libcrypt1", "dns-root-data"),
)


def install_libreswan(*, is_root: bool | None = None) -> str | None:
    """Unpack Debian's libreswan into :data:`LIBRESWAN_PREFIX`; the reason when it cannot."""
    if PLUTO.exists():
        return None
    if not (os.geteuid() == 0 if is_root is None else is_root):
        return f"libreswan is not unpacked in {LIBRESWAN_PREFIX} and installing it needs root"
    if shutil.which("apt-get") is None:
        return "libreswan comes from Debian's package; this machine has no apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with tempfile.TemporaryDirectory() as download:
        Path(download).chmod(0o755)  # apt's _apt user writes the .deb here
        for argv in (
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *DEPENDENCIES],
            ["apt-get", "download", "-qq", "libreswan"],
        ):
            done = subprocess.run(
                argv,
                check=False,
                cwd=download,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0:
                return f"{' '.join(argv[:2])} failed: {done.stderr.strip()[-300:]}"
        (deb,) = Path(download).glob("libreswan_*.deb")
        LIBRESWAN_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(LIBRESWAN_PREFIX)], check=True, timeout=120)
    return None
