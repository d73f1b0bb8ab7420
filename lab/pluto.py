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
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from lab.netns import LabError, Netns, host, wait_for

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


def one_conn_without_xfrm_interface(ipsec_conf: str, conn: str) -> str:
    """The rendered ipsec.conf cut to one conn, for a kernel without ``CONFIG_XFRM_INTERFACE``.

    As strongSwan's lab side runs one charon per tunnel end, the lab runs one pluto per tunnel;
    the conn loses only its ``ipsec-interface=`` line. Everything IKE negotiates (version,
    proposals, lifetimes, selectors, PSK, IDs, DPD) stays as rendered.
    """
    out: list[str] = []
    current = ""
    for line in ipsec_conf.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = line.split()[1] if line.startswith("conn ") else ""
        if current not in ("", conn) or line.strip().startswith("ipsec-interface="):
            continue
        out.append(line)
    return "\n".join([*out, ""])


@dataclass
class Pluto:
    """One pluto in a lab namespace, with every path private to the lab run."""

    namespace: str
    directory: Path

    @property
    def ctl(self) -> Path:
        return self.directory / "run" / "pluto.ctl"

    @property
    def log(self) -> Path:
        return self.directory / "pluto.log"

    def whack(self, lab: Netns, *args: str, check: bool = True) -> str:
        return lab.run(
            self.namespace, [str(WHACK), "--ctlsocket", str(self.ctl), *args], check=check
        ).stdout

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_pluto(
    lab: Netns, *, namespace: str, directory: Path, config: Path, secrets: Path
) -> Pluto:
    """Start pluto with its own NSS db, run dir and log, then load and start every conn.

    pluto runs ``/usr/libexec/ipsec/addconn`` (a compiled-in path): its mount namespace sees the
    private prefix's libexec there, and nothing on the host changes.
    """
    pluto = Pluto(namespace=namespace, directory=directory)
    (directory / "run").mkdir(parents=True, exist_ok=True)
    nss = directory / "nss"
    nss.mkdir(exist_ok=True)
    host(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"])
    lab.spawn(
        namespace,
        f"mount --bind {LIBRESWAN_PREFIX}/usr/libexec /usr/libexec && exec {PLUTO} --nofork "
        f"--config {config} --secretsfile {secrets} --ipsecdir {directory} --nssdir {nss} "
        f"--rundir {directory}/run --dumpdir {directory}/run --logfile {pluto.log}",
        directory / "pluto.stdout",
    )
    if wait_for(lambda: True if pluto.ctl.exists() else None, timeout=10) is None:
        raise LabError(f"pluto in {namespace} did not open {pluto.ctl}: {pluto.log_text()[-1500:]}")
    lab.run(
        namespace,
        [
            str(LIBEXEC / "addconn"),
            "--config",
            str(config),
            "--ctlsocket",
            str(pluto.ctl),
            "--autoall",
        ],
    )
    return pluto
