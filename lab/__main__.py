"""``python -m lab``: bring the interop lab up, run the scenarios, print a short report."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from lab import aws_side, probes, scenarios
from lab.netns import LabError
from lab.pluto import install_libreswan
from lab.pluto_ike import negotiate
from lab.template_source import LabTemplate, fixture, lab_template
from lab.topology import Lab, Stack, build

#: What the lab runs, and the Debian package that ships it (as .ci/run installs them).
REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("/usr/lib/ipsec/charon", "strongswan-charon"),
    ("swanctl", "strongswan-swanctl"),
    ("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so", "libcharon-extra-plugins"),
    ("/usr/lib/ipsec/plugins/libstrongswan-vici.so", "libstrongswan-standard-plugins"),
    ("/usr/lib/frr/zebra", "frr"),
    ("/usr/lib/frr/bgpd", "frr"),
    ("iperf3", "iperf3"),
    ("nft", "nftables"),
    ("ip", "iproute2"),
    ("ping", "iputils-ping"),
)
#: What the libreswan + BIRD 2 stack adds (libreswan itself is unpacked by ``install_libreswan``).
LIBRESWAN_REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("bird", "bird2"),
    ("birdc", "bird2"),
    ("certutil", "libnss3-tools"),
)


def _installed(program: str) -> bool:
    """An absolute path exists, or a command name is on PATH."""
    return Path(program).exists() if program.startswith("/") else shutil.which(program) is not None


def missing_packages(
    exists: Callable[[str], bool] = _installed,
    requirements: tuple[tuple[str, str], ...] = REQUIREMENTS,
) -> list[str]:
    """Debian packages whose programs the lab needs but cannot find, each once, in order."""
    missing: dict[str, None] = {}
    for program, package in requirements:
        if not exists(program):
            missing[package] = None
    return list(missing)


def preflight(*, is_root: bool | None = None, missing: list[str] | None = None) -> str | None:
    """What must change on this machine before the lab can run, or None."""
    problems = []
    wanted = missing_packages() if missing is None else missing
    if wanted:
        problems.append(_install_hint("the lab needs strongSwan, FRR and a few tools", wanted))
    if not (os.geteuid() == 0 if is_root is None else is_root):
        problems.append("the lab creates network namespaces: run it as root (sudo make lab)")
    return "\n".join(problems) or None


def libreswan_preflight() -> str | None:
    """What the libreswan + BIRD 2 stack still needs here (unpacking libreswan if root), or None."""
    wanted = missing_packages(requirements=LIBRESWAN_REQUIREMENTS)
    if wanted:
        return _install_hint("the libreswan stack needs BIRD 2 and NSS tools", wanted)
    return install_libreswan()


def _install_hint(what: str, packages: list[str]) -> str:
    return (
        f"{what}; install them with:\n"
        f"    sudo apt-get install -y --no-install-recommends {' '.join(packages)}"
    )


def _line(label: str, value: object) -> None:
    print(f"  {label:<40} {value}")


def _tunnels(lab: Lab) -> bool:
    ok = True
    if lab.stack is Stack.LIBRESWAN_BIRD:
        print("Tunnels carrying BIRD's traffic (strongSwan userspace ESP; see pluto above):")
    else:
        print("Tunnels (customer gateway view; expected = strongest the template allows):")
    for number, tunnel in zip((1, 2), lab.aws.tunnels, strict=True):
        state = probes.sa_state(lab, f"cgw{number}")
        expected = (aws_side.strongest_ike(tunnel), aws_side.strongest_esp(tunnel))
        match = (state.ike_algorithms, state.esp_algorithms) == expected
        ok &= state.up and match
        source = "template" if tunnel.inside_cidr_from_template else "picked by the lab as AWS"
        _line(f"tunnel {number} ({tunnel.inside_cidr}, {source})", "")
        _line("  state", f"IKE {state.ike_state} {state.ike_version}, CHILD {state.child_state}")
        _line("  IKE", "/".join(state.ike_algorithms))
        _line("  ESP", "/".join(state.esp_algorithms))
        _line("  as expected", "yes" if match else f"NO, expected {expected}")
    return ok


def _bgp(lab: Lab) -> bool:
    print(f"BGP (customer AS {lab.aws.customer_asn}, Amazon AS {lab.aws.amazon_asn}):")
    ok = True
    for router in ("cgw", "aws"):
        for peer, (state, received) in probes.bgp_peers(lab, router).items():
            ok &= state == "Established" and received >= 1
            _line(f"{router} -> {peer}", f"{state}, {received} prefix(es) received")
    for router in ("cgw", "aws"):
        proto = probes.bgp_route_proto(lab, router)
        routes = lab.ns.run(router, ["ip", "route", "show", "proto", proto]).stdout.strip()
        _line(f"{router} BGP routes", routes.replace("\n", "; ") or "none")
    return ok


def _failover(lab: Lab, *, silent: bool) -> bool:
    """Planned and abrupt loss of tunnel 1, then (optionally) a silent one; True if all held."""
    ok = True
    print("Failover (pings every 0.2 s):")
    for bgp_first, label in (
        (True, "graceful (BGP shut, then IKE SA deleted)"),
        (False, "IKE SA of tunnel 1 deleted outright"),
    ):
        graceful = scenarios.graceful_failover(lab, bgp_first=bgp_first)
        ok &= graceful.back_seconds is not None and graceful.record.lost <= (0 if bgp_first else 1)
        _line(
            label,
            f"{graceful.record.lost} of {graceful.record.sent} lost, on "
            f"{graceful.during} after {graceful.switch_seconds or float('nan'):.2f} s",
        )
        _line("  back on tunnel 1 after restore", f"{graceful.back_seconds or float('nan'):.1f} s")
    if silent:
        result = scenarios.silent_failover(lab)
        ok &= result.record.outage <= scenarios.BGP_HOLD + 5
        _line(
            "silent (tunnel 1 dropped in transit)",
            f"outage {result.record.outage:.1f} s "
            f"({result.record.lost} pings lost; BGP hold {scenarios.BGP_HOLD:.0f} s)",
        )
        _line("  back on tunnel 1 after repair", f"{result.back_seconds or float('nan'):.1f} s")
    return ok


def _pluto(template: LabTemplate) -> bool:
    """pluto from the rendered ipsec.conf/ipsec.secrets negotiating with the AWS side."""
    print("pluto (libreswan) IKE with the AWS side (expected = strongest the template allows):")
    result = negotiate(template)
    ok = True
    for tunnel, aws in zip(result.tunnels, lab_tunnels(template), strict=True):
        expected = (aws_side.strongest_ike(aws), aws_side.strongest_esp(aws))
        state = tunnel.aws
        match = (state.ike_algorithms, state.esp_algorithms) == expected
        ok &= tunnel.ike_established and state.up and match
        _line(f"tunnel {tunnel.number}", "")
        _line(
            "  pluto", "IKE SA established, PSK authenticated" if tunnel.ike_established else "NO"
        )
        _line("  AWS side", f"IKE {state.ike_state} {state.ike_version}, CHILD {state.child_state}")
        _line("  IKE", "/".join(state.ike_algorithms))
        _line("  ESP", "/".join(state.esp_algorithms))
        _line("  as expected", "yes" if match else f"NO, expected {expected}")
        _line("  pluto's ESP SA in this kernel", tunnel.kernel_refused or "installed")
    return ok


def lab_tunnels(template: LabTemplate) -> tuple[aws_side.AwsTunnel, ...]:
    return aws_side.read_template(template.template, amazon_asn=template.amazon_asn).tunnels


def _run_stack(template: LabTemplate, stack: Stack, *, silent: bool) -> bool:
    """One customer-side stack against the AWS side: bring up, measure, tear down."""
    print(f"== Customer side: {stack.value} ==")
    ok = _pluto(template) if stack is Stack.LIBRESWAN_BIRD else True
    lab = build(template, stack=stack)
    try:
        _line("bring-up (daemon start to BGP + ping)", f"{lab.bring_up_seconds:.1f} s")
        ok &= _tunnels(lab)
        ok &= _bgp(lab)
        print("Traffic:")
        carrying = probes.carrying_tunnels(lab)
        ok &= carrying == ("tun1", "tun1")
        _line("on-premises -> VPC uses", carrying[0])
        _line("VPC -> on-premises uses", carrying[1])
        mss = scenarios.mss_of_syn(lab)
        ok &= mss is not None and mss <= 1379
        _line("TCP MSS of a SYN arriving in VPC", mss)
        _line("iperf3, 3 s, one tunnel", f"{scenarios.throughput_mbps(lab):.1f} Mbit/s")
        ok &= _failover(lab, silent=silent)
    finally:
        lab.teardown()
    print(f"Teardown ({stack.value}): every namespace and process of this run removed.")
    print(f"RESULT {stack.value}:", "all checks held" if ok else "SOME CHECKS FAILED")
    return ok


STACKS = {"strongswan-frr": Stack.STRONGSWAN_FRR, "libreswan-bird": Stack.LIBRESWAN_BIRD}


def run(
    *, use_fixture: bool, silent: bool, stacks: Sequence[Stack] = (Stack.STRONGSWAN_FRR,)
) -> int:
    """Bring up, measure, tear down each stack; 0 when every check held."""
    print("AWS Site-to-Site VPN interop lab")
    template = fixture() if use_fixture else lab_template()
    print(f"  template: {template.source}")
    ok = True
    for stack in stacks:
        ok &= _run_stack(template, stack, silent=silent)
    print("RESULT:", "all checks held" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab", description=__doc__)
    parser.add_argument("--fixture", action="store_true", help="use lab/fixture_template.json")
    parser.add_argument("--skip-silent", action="store_true", help="skip the ~50 s silent loss")
    parser.add_argument(
        "--stack",
        choices=[*STACKS, "all"],
        default="all",
        help="customer-side stack(s) to run against the AWS side (default: all, one after another)",
    )
    args = parser.parse_args(argv)
    stacks = list(STACKS.values()) if args.stack == "all" else [STACKS[args.stack]]
    needed = preflight()
    if needed is None and Stack.LIBRESWAN_BIRD in stacks:
        needed = libreswan_preflight()
    if needed is not None:
        print(f"lab cannot start: {needed}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        code = run(use_fixture=args.fixture, silent=not args.skip_silent, stacks=stacks)
    except LabError as error:
        print(f"lab failed: {error}", file=sys.stderr)
        return 2
    print(f"(lab wall time {time.monotonic() - started:.0f} s)")
    return code


if __name__ == "__main__":
    sys.exit(main())
