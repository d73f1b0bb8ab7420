"""strongSwan and FRR instances inside lab namespaces, following ../shared/notes/ipsec-lab.md.

One charon per tunnel end, each in its own helper namespace with a private /run, its libipsec
TUN moved into the side's router namespace as ``tun1``/``tun2``; FRR per router namespace with
its own run directory.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab.netns import LabError, Netns, host, wait_for

CHARON = "/usr/lib/ipsec/charon"
FRR_DIR = Path("/usr/lib/frr")
#: strongSwan 5.9's libipsec TUN buffer is fixed at 1400 bytes; larger packets are truncated.
TUN_MTU = 1400

#: The lab's own charon settings for the simulated AWS side (userspace ESP, no policy routing).
_PLUGINS = (
    "random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 pubkey x509 curve25519 gmp kdf "
    "kernel-libipsec kernel-netlink socket-default vici updown"
)
AWS_STRONGSWAN_CONF = """charon {
  load_modular = no
  load = {plugins}
  install_routes = no
  install_virtual_ip = no
  # Let the initiator's order decide among allowed algorithms, so the lab shows the customer
  # gateway's first choice.
  prefer_configured_proposals = no
  plugins {
    kernel-netlink {
      fwmark = 0x4242
    }
  }
}
""".replace("{plugins}", _PLUGINS)

#: Sets a moved TUN up/down with its CHILD_SA, as a router's tunnel interface follows its SA.
UPDOWN_SH = """#!/bin/sh
# $1: tunnel interface in router namespace {router}; PLUTO_VERB comes from strongSwan.
case "$PLUTO_VERB" in
  up-client) exec ip -n {router} link set "$1" up ;;
  down-client) exec ip -n {router} link set "$1" down ;;
esac
exit 0
"""


@dataclass
class Charon:
    """One charon instance: its namespace, directory and control socket."""

    helper: str
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"unix://{self.directory}/run/charon.vici"

    @property
    def log(self) -> Path:
        return self.directory / "charon.log"

    def swanctl(self, lab: Netns, *args: str, check: bool = True, timeout: float = 15.0) -> str:
        result = lab.run(
            self.helper, ["swanctl", *args, "--uri", self.uri], check=check, timeout=timeout
        )
        return result.stdout

    def load(self, lab: Netns, swanctl_conf: Path) -> None:
        self.swanctl(lab, "--load-all", "--file", str(swanctl_conf))

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def write_updown(path: Path, router_ns: str) -> Path:
    path.write_text(UPDOWN_SH.format(router=router_ns), encoding="utf-8")
    path.chmod(0o700)
    return path


def start_charon(lab: Netns, *, helper: str, directory: Path, base_conf: Path) -> Charon:
    """Start charon in ``helper`` with ``base_conf`` plus the lab's socket and log settings."""
    run = directory / "run"
    (run / "netns").mkdir(parents=True, exist_ok=True)
    charon = Charon(helper=helper, directory=directory)
    conf = directory / "strongswan.conf"
    conf.write_text(
        "charon {\n"
        f"  plugins {{\n    vici {{\n      socket = {charon.uri}\n    }}\n  }}\n"
        "  filelog {\n    lab {\n"
        f"      path = {charon.log}\n      default = 1\n      ike_name = yes\n"
        "      time_format = %H:%M:%S\n      flush_line = yes\n    }\n  }\n"
        "}\n"
        f"include {base_conf}\n",
        encoding="utf-8",
    )
    charon.process = lab.spawn(
        helper,
        f"mount --rbind /run/netns {run}/netns && mount --rbind {run} /run && "
        f"exec env STRONGSWAN_CONF={conf} {CHARON}",
        directory / "charon.stdout",
    )
    socket = run / "charon.vici"
    if wait_for(lambda: True if socket.exists() else None, timeout=10) is None:
        raise LabError(f"charon in {helper} did not open {socket}: {charon.log_text()[-1500:]}")
    return charon


def move_tun(lab: Netns, *, helper: str, router: str, name: str) -> None:
    """Move the charon's ``ipsec0`` TUN into ``router`` as ``name``; leave a placeholder."""
    helper_ns, router_ns = lab.name(helper), lab.name(router)

    def tun_ready() -> bool | None:
        found = host(["ip", "-n", helper_ns, "link", "show", "ipsec0"], check=False)
        return True if found.returncode == 0 else None

    if wait_for(tun_ready, timeout=10) is None:
        raise LabError(f"no ipsec0 TUN appeared in {helper_ns}")
    host(["ip", "-n", helper_ns, "link", "set", "ipsec0", "down"])
    host(["ip", "-n", helper_ns, "link", "set", "ipsec0", "name", name])
    host(["ip", "-n", helper_ns, "link", "set", name, "netns", router_ns])
    host(["ip", "-n", helper_ns, "tuntap", "add", "ipsec0", "mode", "tun"])
    host(["ip", "-n", helper_ns, "link", "set", "ipsec0", "up"])


@dataclass
class Frr:
    """zebra + bgpd in one router namespace."""

    router: str
    directory: Path

    def vtysh(self, lab: Netns, command: str) -> str:
        return lab.run(
            self.router, ["vtysh", "--vty_socket", str(self.directory), "-c", command]
        ).stdout

    def vtysh_json(self, lab: Netns, command: str) -> Any:
        return json.loads(self.vtysh(lab, command) or "{}")

    def bgp_peers(self, lab: Netns) -> dict[str, Any]:
        summary = self.vtysh_json(lab, "show ip bgp summary json")
        peers = summary.get("ipv4Unicast", {}).get("peers", {})
        return dict(peers)

    def set_session(self, lab: Netns, *, peer: str, asn: int, up: bool) -> None:
        """Administratively shut (or re-enable) the BGP session to ``peer``."""
        lab.run(
            self.router,
            [
                "vtysh",
                "--vty_socket",
                str(self.directory),
                "-c",
                "configure terminal",
                "-c",
                f"router bgp {asn}",
                "-c",
                f"{'no ' if up else ''}neighbor {peer} shutdown",
            ],
        )


def start_frr(lab: Netns, *, router: str, directory: Path, bgpd_conf: str) -> Frr:
    """Start zebra, then bgpd with ``bgpd_conf``, as user frr with a private run directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "zebra.conf").write_text("", encoding="utf-8")
    (directory / "bgpd.conf").write_text(bgpd_conf, encoding="utf-8")
    shutil.chown(directory, "frr", "frr")
    for item in directory.iterdir():
        shutil.chown(item, "frr", "frr")
    d = directory
    common = f"-z {d}/zserv.api --vty_socket {d} -P 0"
    lab.spawn(
        router,
        f"exec {FRR_DIR}/zebra -f {d}/zebra.conf -i {d}/zebra.pid {common} "
        f"--log file:{d}/zebra.log",
        d / "zebra.stdout",
    )
    api = d / "zserv.api"
    if wait_for(lambda: True if api.exists() else None, timeout=10) is None:
        raise LabError(f"zebra in {router} did not start")
    lab.spawn(
        router,
        f"exec {FRR_DIR}/bgpd -f {d}/bgpd.conf -i {d}/bgpd.pid {common} --log file:{d}/bgpd.log",
        d / "bgpd.stdout",
    )
    frr = Frr(router=router, directory=d)
    if wait_for(lambda: True if (d / "bgpd.vty").exists() else None, timeout=10) is None:
        raise LabError(f"bgpd in {router} did not start: {(d / 'bgpd.stdout').read_text()}")
    return frr


@dataclass
class Bird:
    """BIRD 2 in one router namespace, with its own control socket (the libreswan stack)."""

    router: str
    directory: Path

    @property
    def socket(self) -> Path:
        return self.directory / "bird.ctl"

    def birdc(self, lab: Netns, *command: str) -> str:
        return lab.run(self.router, ["birdc", "-s", str(self.socket), *command]).stdout

    def _bgp_protocols(self, lab: Netns) -> dict[str, str]:
        """BGP protocol name -> its ``show protocols all`` block."""
        blocks: dict[str, str] = {}
        name = None
        for line in self.birdc(lab, "show", "protocols", "all").splitlines():
            head = re.match(r"^(\w+)\s+(\w+)\s+", line)
            if head:
                name = head[1] if head[2] == "BGP" else None
                if name:
                    blocks[name] = ""
            elif name:
                blocks[name] += line + "\n"
        return blocks

    def bgp_peers(self, lab: Netns) -> dict[str, Any]:
        """Neighbour address -> {"state", "pfxRcd"} as FRR's summary names them.

        ``pfxRcd`` is the routes the import filter accepted, as FRR's count after its route-map.
        """
        peers: dict[str, Any] = {}
        for block in self._bgp_protocols(lab).values():
            neighbor = re.search(r"Neighbor address:\s+(\S+)", block)
            state = re.search(r"BGP state:\s+(\S+)", block)
            routes = re.search(r"Routes:\s+(\d+) imported", block)
            if neighbor:
                peers[neighbor[1]] = {
                    "state": state[1] if state else "Down",
                    "pfxRcd": int(routes[1]) if routes else 0,
                }
        return peers

    def set_session(self, lab: Netns, *, peer: str, asn: int, up: bool) -> None:
        """Disable (or enable) the BGP protocol whose neighbour is ``peer`` (``asn``: FRR's)."""
        del asn
        for name, block in self._bgp_protocols(lab).items():
            if re.search(rf"Neighbor address:\s+{re.escape(peer)}\n", block):
                self.birdc(lab, "enable" if up else "disable", name)
                return
        raise LabError(f"BIRD in {self.router} has no BGP session to {peer}")


def start_bird(lab: Netns, *, router: str, directory: Path, conf: str) -> Bird:
    """Start ``bird`` in the foreground with ``conf`` and a private control socket."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "bird.conf"
    path.write_text(conf, encoding="utf-8")
    bird = Bird(router=router, directory=directory)
    lab.spawn(
        router,
        f"exec bird -f -c {path} -s {bird.socket} -P {directory}/bird.pid",
        directory / "bird.log",
    )
    if wait_for(lambda: True if bird.socket.exists() else None, timeout=10) is None:
        raise LabError(f"bird in {router} did not start: {(directory / 'bird.log').read_text()}")
    return bird
