"""Read the lab's state: SAs, BGP, routes, interface counters, ping monitors."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from lab.daemons import Bird
from lab.netns import Netns
from lab.topology import VPC_HOST, Lab

_IKE_HEAD = re.compile(r"^(?P<name>[\w-]+): #\d+, (?P<state>[A-Z_]+), (?P<version>IKEv\d)")
_IKE_ALGS = re.compile(r"^\s+(?P<algs>[A-Z][A-Z0-9_]*(?:-\d+)?(?:/[A-Z][A-Z0-9_]*(?:-\d+)?)+)\s*$")
_CHILD = re.compile(r"^\s+[\w-]+: #\d+, reqid \d+, (?P<state>[A-Z_]+), [\w-]+, ESP:(?P<algs>\S+)")


@dataclass(frozen=True)
class SaState:
    """One tunnel's IKE and CHILD SA as ``swanctl --list-sas`` shows them."""

    ike_state: str | None
    ike_version: str | None
    ike_algorithms: tuple[str, ...]
    child_state: str | None
    esp_algorithms: tuple[str, ...]

    @property
    def up(self) -> bool:
        return self.ike_state == "ESTABLISHED" and self.child_state == "INSTALLED"


def parse_list_sas(text: str) -> SaState:
    """Parse the first IKE SA (and its first CHILD SA) in ``swanctl --list-sas`` output."""
    ike_state = version = child_state = None
    ike_algs: tuple[str, ...] = ()
    esp_algs: tuple[str, ...] = ()
    for line in text.splitlines():
        if (m := _IKE_HEAD.match(line)) and ike_state is None:
            ike_state, version = m["state"], m["version"]
        elif (m := _CHILD.match(line)) and child_state is None:
            child_state, esp_algs = m["state"], tuple(m["algs"].split("/"))
        elif (m := _IKE_ALGS.match(line)) and not ike_algs:
            ike_algs = tuple(m["algs"].split("/"))
    return SaState(ike_state, version, ike_algs, child_state, esp_algs)


def sa_state(lab: Lab, charon: str) -> SaState:
    return parse_list_sas(lab.charons[charon].swanctl(lab.ns, "--list-sas"))


def bgp_route_proto(lab: Lab, router: str) -> str:
    """The ``proto`` the router's BGP daemon gives its kernel routes: ``bird`` or FRR's ``bgp``."""
    return "bird" if isinstance(lab.frr[router], Bird) else "bgp"


def bgp_peers(lab: Lab, router: str) -> dict[str, tuple[str, int]]:
    """Neighbour address -> (state, prefixes received)."""
    return {
        peer: (str(info.get("state")), int(info.get("pfxRcd", 0)))
        for peer, info in lab.frr[router].bgp_peers(lab.ns).items()
    }


def route_dev(ns: Netns, short: str, destination: str) -> str | None:
    """The interface ``short`` would send ``destination`` out of, or None if unroutable."""
    result = ns.run(short, ["ip", "-j", "route", "get", destination], check=False)
    if result.returncode != 0:
        return None
    routes = json.loads(result.stdout or "[]")
    return str(routes[0].get("dev")) if routes else None


def tx_packets(ns: Netns, short: str, ifname: str) -> int:
    result = ns.run(short, ["cat", f"/sys/class/net/{ifname}/statistics/tx_packets"], check=False)
    return int(result.stdout.strip() or 0)


def carrying_tunnels(lab: Lab, *, pings: int = 20) -> tuple[str, str]:
    """Which tunnel carries on-premises->VPC and VPC->on-premises traffic (by TX counters)."""
    before = {(s, t): tx_packets(lab.ns, s, t) for s in ("cgw", "aws") for t in ("tun1", "tun2")}
    lab.ns.run(
        "onprem",
        ["ping", "-n", "-q", "-c", str(pings), "-i", "0.05", "-W", "1", VPC_HOST],
        check=False,
    )
    delta = {k: tx_packets(lab.ns, *k) - v for k, v in before.items()}

    def busiest(side: str) -> str:
        tun1, tun2 = delta[(side, "tun1")], delta[(side, "tun2")]
        if tun1 >= pings and tun2 < pings // 4:
            return "tun1"
        if tun2 >= pings and tun1 < pings // 4:
            return "tun2"
        return f"both/none (tun1 {tun1}, tun2 {tun2} packets)"

    return busiest("cgw"), busiest("aws")


@dataclass(frozen=True)
class PingRecord:
    """A finished ping monitor: replies received and the longest gap between them."""

    sent: int
    received: int
    interval: float
    longest_gap: float

    @property
    def lost(self) -> int:
        return self.sent - self.received

    @property
    def outage(self) -> float:
        """Time without replies beyond the normal interval."""
        return max(0.0, self.longest_gap - self.interval)


@dataclass
class PingMonitor:
    """``ping -D -i interval -c count`` from on-premises to the VPC host, in the background."""

    ns: Netns
    count: int
    interval: float
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> PingMonitor:
        self.log.unlink(missing_ok=True)
        self.process = self.ns.spawn(
            "onprem",
            f"exec ping -n -D -c {self.count} -i {self.interval} -W 1 {VPC_HOST}",
            self.log,
        )
        return self

    def finish(self) -> PingRecord:
        """Wait (bounded) for the monitor to end and summarise it."""
        assert self.process is not None
        try:
            self.process.wait(timeout=self.count * self.interval + 10)
        except subprocess.TimeoutExpired:
            self.ns.stop(self.process)
        stamps = [
            float(m[1])
            for m in re.finditer(
                r"^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=\d+", self.log.read_text(), re.M
            )
        ]
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        return PingRecord(
            sent=self.count,
            received=len(stamps),
            interval=self.interval,
            longest_gap=max(gaps, default=0.0),
        )


def wait_route(
    ns: Netns, short: str, destination: str, dev: str, *, timeout: float
) -> float | None:
    """Seconds until ``destination`` routes via ``dev`` in ``short``, or None after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if route_dev(ns, short, destination) == dev:
            return time.monotonic() - start
        time.sleep(0.05)
    return None
