"""pluto, from the rendered ipsec.conf and ipsec.secrets, against the template-configured AWS side.

The lab's kernel has no ESP (``CONFIG_INET_ESP``) and no XFRM interfaces, and libreswan has no
userspace ESP: pluto negotiates both tunnels (IKE SA and CHILD SA) but the kernel refuses its
ESP SAs. What this proves live: versions, proposals, PSKs and IDs the AWS side accepts, and
the algorithms the two ends agree on. The traffic figures of the libreswan stack come from BIRD
over the lab's userspace ESP (``Stack.LIBRESWAN_BIRD`` in ``lab.topology``).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from lab import aws_side
from lab.daemons import AWS_STRONGSWAN_CONF, Charon, write_updown
from lab.netns import Netns, run_prefix
from lab.pluto import Pluto, one_conn_without_xfrm_interface, start_pluto
from lab.probes import SaState, parse_list_sas
from lab.template_source import LabTemplate
from lab.topology import (
    OUTSIDE_V4,
    Stack,
    _aws_psks,
    _wire,
    deploy_facts,
    start_aws_end,
)
from site_to_site_vpn.customer_side.libreswan import render_libreswan

NEGOTIATION_TIMEOUT: Final = 20.0
_ESTABLISHED = re.compile(r"initiator established IKE SA; authenticated peer using authby=secret")
_CHILD_UP = re.compile(r"established Child SA")
_KERNEL_REFUSED = re.compile(r"netlink response for Add SA esp\.\S+: (?P<why>[^(]+\(errno \d+\))")


@dataclass(frozen=True)
class PlutoTunnel:
    """One tunnel as pluto and the AWS side saw it."""

    number: int
    #: pluto authenticated the AWS side with the PSK and established the IKE SA.
    ike_established: bool
    #: The AWS side's view: IKE and CHILD SA states and algorithms.
    aws: SaState
    #: Why the kernel refused pluto's ESP SA, if it did.
    kernel_refused: str | None


@dataclass(frozen=True)
class PlutoResult:
    tunnels: tuple[PlutoTunnel, PlutoTunnel]
    prefix: str
    pids: tuple[int, ...]


def _observe(number: int, pluto: Pluto, charon: Charon, ns: Netns) -> PlutoTunnel | None:
    log = pluto.log_text()
    aws = parse_list_sas(charon.swanctl(ns, "--list-sas"))
    if not (_ESTABLISHED.search(log) and aws.up):
        return None
    refused = _KERNEL_REFUSED.search(log)
    if refused is None and not _CHILD_UP.search(log):
        return None
    return PlutoTunnel(number, True, aws, refused["why"].strip() if refused else None)


def negotiate(
    template: LabTemplate,
    *,
    workdir: Path | None = None,
    tamper: Callable[[int, str], str] | None = None,
) -> PlutoResult:
    """Start the AWS side and one pluto per tunnel end; report what they agreed; tear down.

    ``tamper(n, ipsec_conf)`` edits tunnel ``n``'s pluto config, to show the check can fail.
    """
    root = workdir or Path(tempfile.mkdtemp(prefix="s2s-pluto-"))
    root.chmod(0o711)
    ns = Netns(prefix=Stack.LIBRESWAN_BIRD.prefix + "i" + run_prefix()[3:], workdir=root)
    try:
        vpn = aws_side.read_template(template.template, amazon_asn=template.amazon_asn)
        psks = _aws_psks(vpn, template)
        props = template.template["Resources"][vpn.logical_id]["Properties"]
        rendered = render_libreswan(
            vpn_properties=props, customer_asn=vpn.customer_asn, facts=deploy_facts(vpn, psks)
        )
        config = root / "cgw-config"
        rendered.write(config)
        _wire(ns, OUTSIDE_V4)
        aws_conf = root / "aws-strongswan.conf"
        aws_conf.write_text(AWS_STRONGSWAN_CONF, encoding="utf-8")
        updown = write_updown(root / "updown-aws.sh", ns.name("aws"))
        pairs: list[tuple[Pluto, Charon]] = []
        for n, tunnel in zip((1, 2), vpn.tunnels, strict=True):
            charon, swanctl = start_aws_end(
                ns,
                root=root,
                number=n,
                tunnel=tunnel,
                outside=OUTSIDE_V4,
                psk=psks[n - 1],
                updown=updown,
                base_conf=aws_conf,
            )
            charon.load(ns, swanctl)
            directory = root / f"pluto{n}"
            directory.mkdir(mode=0o700)
            conn = directory / "ipsec.conf"
            text = one_conn_without_xfrm_interface(rendered.files["ipsec.conf"], f"aws-tunnel-{n}")
            conn.write_text(text if tamper is None else tamper(n, text), encoding="utf-8")
            pluto = start_pluto(
                ns,
                namespace=f"cgw{n}",
                directory=directory,
                config=conn,
                secrets=config / "ipsec.secrets",
            )
            pairs.append((pluto, charon))
        found: dict[int, PlutoTunnel] = {}
        deadline = time.monotonic() + NEGOTIATION_TIMEOUT
        while len(found) < len(pairs) and time.monotonic() < deadline:
            for n, (pluto, charon) in enumerate(pairs, start=1):
                if n not in found and (seen := _observe(n, pluto, charon, ns)) is not None:
                    found[n] = seen
            time.sleep(0.5)
        tunnels = tuple(
            found.get(n)
            or PlutoTunnel(n, False, parse_list_sas(charon.swanctl(ns, "--list-sas")), None)
            for n, (_, charon) in enumerate(pairs, start=1)
        )
        return PlutoResult(
            tunnels=(tunnels[0], tunnels[1]),
            prefix=ns.prefix,
            pids=tuple(p.pid for p in ns.processes),
        )
    finally:
        ns.teardown()
