"""The lab's scenarios, shared by ``python -m lab`` and the test suite.

Each function drives the running lab, measures, and returns what it saw; the tests assert and
the report prints. Every wait is bounded.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from lab.netns import LabError
from lab.probes import PingMonitor, PingRecord, SaState, route_dev, sa_state, wait_route
from lab.template_source import LabTemplate
from lab.topology import ONPREM_HOST, VPC_HOST, Lab, build

PING_INTERVAL = 0.2  # 5 pings a second
BGP_HOLD = 30.0


@dataclass(frozen=True)
class Graceful:
    """Tunnel 1's IKE SA deleted, then re-initiated."""

    record: PingRecord
    during: str | None
    switch_seconds: float | None
    back_seconds: float | None


def _bgp_tunnel1(lab: Lab, *, shutdown: bool) -> None:
    """Administratively stop (or restart) the customer side's BGP session on tunnel 1."""
    lab.frr["cgw"].set_session(
        lab.ns, peer=str(lab.aws.tunnels[0].aws_ip), asn=lab.aws.customer_asn, up=not shutdown
    )


def graceful_failover(lab: Lab, *, bgp_first: bool = True) -> Graceful:
    """Delete tunnel 1's IKE SA from the customer side, restore it, and ping throughout.

    ``bgp_first`` is the planned-maintenance order: shut tunnel 1's BGP session, so both sides
    move to tunnel 2 by route replacement, then delete the SA; restore in reverse. Without it
    the SA is deleted outright and the updown hook takes the tunnel interface down: between one
    side deleting its SA and the other taking its interface down lie a few milliseconds in
    which a packet can be lost.
    """
    name = "graceful" if bgp_first else "ike-delete"
    monitor = PingMonitor(lab.ns, 70, PING_INTERVAL, lab.ns.workdir / f"ping-{name}.log").start()
    time.sleep(2)
    started = time.monotonic()
    if bgp_first:
        _bgp_tunnel1(lab, shutdown=True)
        wait_route(lab.ns, "cgw", VPC_HOST, "tun2", timeout=5)
        wait_route(lab.ns, "aws", ONPREM_HOST, "tun2", timeout=5)
    lab.charons["cgw1"].swanctl(lab.ns, "--terminate", "--ike", "aws-tunnel-1", "--timeout", "10")
    moved = wait_route(lab.ns, "cgw", VPC_HOST, "tun2", timeout=5)
    switch = None if moved is None else time.monotonic() - started
    time.sleep(3)
    during = _route(lab, "cgw")
    lab.charons["cgw1"].swanctl(
        lab.ns, "--initiate", "--child", "aws-tunnel-1", "--ike", "aws-tunnel-1", "--timeout", "10"
    )
    if bgp_first:
        _bgp_tunnel1(lab, shutdown=False)
    back = _both_back(lab, timeout=20)
    return Graceful(monitor.finish(), during, switch, back)


@dataclass(frozen=True)
class Silent:
    """Tunnel 1 black-holed in the transit namespace, then repaired."""

    record: PingRecord
    switch_seconds: float | None
    back_seconds: float | None


def _drop_tunnel1(lab: Lab, *, drop: bool) -> None:
    """Black-hole (or restore) everything to and from tunnel 1's AWS outside IP in transit."""
    ip = lab.outside.aws[0]
    family = "ip6" if lab.outside.ipv6 else "ip"
    if not drop:
        lab.ns.run("inet", ["nft", "delete", "table", "inet", "s2slab"], check=False)
        return
    lab.ns.run("inet", ["nft", "add", "table", "inet", "s2slab"])
    lab.ns.run(
        "inet",
        [
            "nft",
            "add",
            "chain",
            "inet",
            "s2slab",
            "blackhole",
            "{ type filter hook forward priority 0 ; }",
        ],
    )
    for direction in ("saddr", "daddr"):
        lab.ns.run(
            "inet",
            ["nft", "add", "rule", "inet", "s2slab", "blackhole", family, direction, ip, "drop"],
        )


def silent_failover(lab: Lab) -> Silent:
    """Drop tunnel 1 silently; BGP's hold timer must move traffic to tunnel 2."""
    monitor = PingMonitor(lab.ns, 250, PING_INTERVAL, lab.ns.workdir / "ping-silent.log").start()
    time.sleep(2)
    try:
        _drop_tunnel1(lab, drop=True)
        switch = wait_route(lab.ns, "cgw", VPC_HOST, "tun2", timeout=BGP_HOLD + 15)
        wait_route(lab.ns, "aws", ONPREM_HOST, "tun2", timeout=10)
        time.sleep(2)
    finally:
        _drop_tunnel1(lab, drop=False)
    back = _both_back(lab, timeout=60)
    return Silent(monitor.finish(), switch, back)


def _route(lab: Lab, side: str) -> str | None:
    return route_dev(lab.ns, side, VPC_HOST if side == "cgw" else ONPREM_HOST)


def _both_back(lab: Lab, *, timeout: float) -> float | None:
    start = time.monotonic()
    cgw = wait_route(lab.ns, "cgw", VPC_HOST, "tun1", timeout=timeout)
    aws = wait_route(lab.ns, "aws", ONPREM_HOST, "tun1", timeout=timeout)
    return time.monotonic() - start if cgw is not None and aws is not None else None


def mss_of_syn(lab: Lab) -> int | None:
    """The MSS option of an on-premises host's SYN as it arrives in the VPC."""
    log = lab.ns.workdir / "tcpdump.log"
    server = lab.ns.spawn("vpc", "exec iperf3 -s -1 -p 5201", lab.ns.workdir / "iperf3-mss.log")
    dump = lab.ns.spawn(
        "vpc",
        "exec timeout 15 tcpdump -l -n -v -c 1 -i vpc 'tcp[tcpflags] & tcp-syn != 0 "
        f"and tcp[tcpflags] & tcp-ack == 0 and dst host {VPC_HOST}'",
        log,
    )
    try:
        deadline = time.monotonic() + 5
        while "listening on" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        lab.ns.run(
            "onprem",
            ["iperf3", "-c", VPC_HOST, "-p", "5201", "-t", "1", "--connect-timeout", "3000"],
            check=False,
            timeout=15,
        )
        dump.wait(timeout=15)
    finally:
        lab.ns.stop(dump)
        lab.ns.stop(server)
    found = re.search(r"\bmss (\d+)", log.read_text())
    return int(found[1]) if found else None


def throughput_mbps(lab: Lab, *, seconds: int = 3) -> float:
    """iperf3 on-premises -> VPC through the tunnel, bounded to ``seconds``."""
    server = lab.ns.spawn("vpc", "exec iperf3 -s -1 -p 5202", lab.ns.workdir / "iperf3.log")
    try:
        time.sleep(0.3)
        result = lab.ns.run(
            "onprem",
            [
                "iperf3",
                "-c",
                VPC_HOST,
                "-p",
                "5202",
                "-t",
                str(seconds),
                "-J",
                "--connect-timeout",
                "3000",
            ],
            check=False,
            timeout=seconds + 15,
        )
    finally:
        lab.ns.stop(server)
    data = json.loads(result.stdout or "{}")
    try:
        return float(data["end"]["sum_received"]["bits_per_second"]) / 1e6
    except KeyError as missing:
        raise LabError(f"iperf3 gave no result: {data.get('error', result.stderr)}") from missing


@dataclass(frozen=True)
class Refused:
    """A tunnel that must not establish, and what strongSwan said about it."""

    state: SaState
    reasons: tuple[str, ...]
    logs: str
    #: The throwaway lab's namespace prefix and PIDs, to check its teardown.
    prefix: str
    pids: tuple[int, ...]


REASON = re.compile(
    r"AUTHENTICATION_FAILED|MAC mismatched|verification of AUTH payload.*failed"
    r"|no acceptable proposal found|NO_PROPOSAL_CHOSEN|received proposals:|configured proposals:"
)


def refused_tunnel(template: LabTemplate, tamper: Callable[[int, str], str]) -> Refused:
    """Build a lab whose tunnel 1 customer config is ``tamper``-ed; report why it fails."""
    lab = build(template, tamper=tamper)
    try:
        deadline = time.monotonic() + 6
        state = sa_state(lab, "cgw1")
        while time.monotonic() < deadline and not state.up:
            time.sleep(0.5)
            state = sa_state(lab, "cgw1")
        logs = lab.charons["cgw1"].log_text() + lab.charons["aws1"].log_text()
        reasons = tuple(
            dict.fromkeys(
                line.split("] ", 1)[-1] for line in logs.splitlines() if REASON.search(line)
            )
        )
        return Refused(
            state=state,
            reasons=reasons,
            logs=logs,
            prefix=lab.ns.prefix,
            pids=tuple(p.pid for p in lab.ns.processes),
        )
    finally:
        lab.teardown()
