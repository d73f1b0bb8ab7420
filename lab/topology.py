"""Build and tear down the whole lab.

    onprem --lan-- cgw ==tun1/tun2== aws --vpc-- vpc
                    :                  :
          cgw1, cgw2 helpers     aws1, aws2 helpers      (one charon each)
                    \\___ inet (transit) ___/

Addresses: on-premises 172.16.0.0/16, VPC 10.0.0.0/16, AWS outside IPs 192.0.2.10/.20, customer
gateway outside IP 198.51.100.10 (documentation ranges), inside /30s from the template.
Only these namespaces exchange traffic; nothing is routed to the host or beyond.
"""

from __future__ import annotations

import enum
import ipaddress
import secrets
import string
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lab import aws_side
from lab.daemons import (
    AWS_STRONGSWAN_CONF,
    TUN_MTU,
    Bird,
    Charon,
    Frr,
    move_tun,
    start_bird,
    start_charon,
    start_frr,
    write_updown,
)
from lab.netns import LabError, Netns, run_prefix, wait_for
from lab.template_source import LabTemplate
from site_to_site_vpn.customer_side import (
    Dataplane,
    DeployFacts,
    PathPreference,
    RenderedConfig,
    TunnelFacts,
    render,
)
from site_to_site_vpn.customer_side.bird import bird_conf
from site_to_site_vpn.customer_side.template import vpn_policy
from site_to_site_vpn.customer_side.tunnels import resolve

CGW_OUTSIDE_IP = "198.51.100.10"
INET_CGW_SIDE = "198.51.100.1"
AWS_OUTSIDE_IPS = ("192.0.2.10", "192.0.2.20")
INET_AWS_SIDE = "192.0.2.1"


@dataclass(frozen=True)
class Outside:
    """The "internet" addresses: IPv4 (RFC 5737) or, for OutsideIpAddressType Ipv6, IPv6 from
    the documentation prefix 2001:db8::/32 (RFC 3849) only, as the lab's network rule asks."""

    cgw: str
    inet_cgw_side: str
    aws: tuple[str, str]
    inet_aws_side: str

    @property
    def ipv6(self) -> bool:
        return ipaddress.ip_address(self.cgw).version == 6

    @property
    def ip(self) -> str:
        """``ip`` with the family flag and the host-route prefix length of this family."""
        return "ip -6" if self.ipv6 else "ip"

    @property
    def host_len(self) -> int:
        return 128 if self.ipv6 else 32

    @property
    def addr_flags(self) -> str:
        # No duplicate address detection: a tentative IPv6 address cannot be used for ~2 s.
        return " nodad" if self.ipv6 else ""


OUTSIDE_V4 = Outside(CGW_OUTSIDE_IP, INET_CGW_SIDE, AWS_OUTSIDE_IPS, INET_AWS_SIDE)
OUTSIDE_V6 = Outside(
    "2001:db8:5::10", "2001:db8:5::1", ("2001:db8:a::10", "2001:db8:a::20"), "2001:db8:a::1"
)
ONPREM_PREFIX, ONPREM_GW, ONPREM_HOST = "172.16.0.0/16", "172.16.0.1", "172.16.0.10"
VPC_PREFIX, VPC_GW, VPC_HOST = "10.0.0.0/16", "10.0.0.1", "10.0.0.10"
BRING_UP_TIMEOUT = 40.0


class Stack(enum.Enum):
    """The customer side's IPsec + routing stack; the AWS side is always the same."""

    #: strongSwan (charon, userspace ESP) and FRR, from ``render``.
    STRONGSWAN_FRR = "strongSwan + FRR"
    #: libreswan (pluto) and BIRD 2, from ``render_libreswan``. This kernel has no ESP and no
    #: XFRM interfaces, so pluto can negotiate but not carry traffic: BIRD routes over the same
    #: userspace ESP tunnels, and pluto's negotiation is checked by ``lab.pluto_ike``.
    LIBRESWAN_BIRD = "libreswan + BIRD 2"

    @property
    def prefix(self) -> str:
        """Namespace prefix head: ``s2s`` (strongSwan) or ``s2l`` (libreswan), never shared."""
        return "s2s" if self is Stack.STRONGSWAN_FRR else "s2l"


def random_psk() -> str:
    """A fresh AWS-style PSK per run (AWS generates 32 characters); never logged."""
    alphabet = string.ascii_letters + string.digits + "._"
    return secrets.choice(string.ascii_letters) + "".join(
        secrets.choice(alphabet) for _ in range(31)
    )


@dataclass
class Lab:
    """A running lab; :meth:`teardown` removes every namespace and process it created."""

    ns: Netns
    template: LabTemplate
    aws: aws_side.AwsVpn
    facts: DeployFacts
    rendered: RenderedConfig
    outside: Outside = OUTSIDE_V4
    charons: dict[str, Charon] = field(default_factory=dict)
    #: The BGP daemon per router namespace: FRR, or BIRD on the libreswan stack's customer side.
    frr: dict[str, Frr | Bird] = field(default_factory=dict)
    bring_up_seconds: float = 0.0
    stack: Stack = Stack.STRONGSWAN_FRR

    def teardown(self) -> None:
        self.ns.teardown()


def deploy_facts(
    vpn: aws_side.AwsVpn, psks: tuple[str, str], outside: Outside = OUTSIDE_V4
) -> DeployFacts:
    """What DescribeVpnConnections would report after deploy (the lab plays AWS here), with
    the customer side's defaults."""
    first, second = (
        TunnelFacts(
            outside_ip=ipaddress.ip_address(ip),
            psk=psk,
            inside_cidr=None if t.inside_cidr_from_template else t.inside_cidr,
        )
        for ip, psk, t in zip(outside.aws, psks, vpn.tunnels, strict=True)
    )
    return DeployFacts(
        tunnels=(first, second),
        cgw_outside_ip=ipaddress.ip_address(outside.cgw),
        amazon_side_asn=vpn.amazon_asn,
        onprem_prefixes=(ipaddress.IPv4Network(ONPREM_PREFIX),),
        remote_prefixes=(ipaddress.IPv4Network(VPC_PREFIX),),
    )


def _lab_facts(
    vpn: aws_side.AwsVpn, psks: tuple[str, str], updown: Path, outside: Outside
) -> DeployFacts:
    """:func:`deploy_facts` for the strongSwan customer side: libipsec, the updown hook."""
    return replace(
        deploy_facts(vpn, psks, outside),
        path_preference=PathPreference.PRIMARY_SECONDARY,
        dataplane=Dataplane.LIBIPSEC,
        updown=str(updown),
    )


def _wire(ns: Netns, outside: Outside = OUTSIDE_V4) -> None:
    """Namespaces, veths, addresses and routes; no daemons yet."""
    for short in ("onprem", "cgw", "cgw1", "cgw2", "inet", "aws1", "aws2", "aws", "vpc"):
        ns.add(short)
    ipv6 = (
        " net.ipv6.conf.all.forwarding=1 net.ipv6.conf.all.disable_ipv6=0" if outside.ipv6 else ""
    )
    for short in ("cgw", "inet", "aws", "cgw1", "cgw2", "aws1", "aws2"):
        ns.sh(
            short,
            "sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 "
            "net.ipv4.conf.default.rp_filter=0" + ipv6,
        )
    ns.veth(("onprem", "lan"), ("cgw", "lan"))
    ns.sh("onprem", f"ip addr add {ONPREM_HOST}/16 dev lan && ip route add default via {ONPREM_GW}")
    ns.sh("cgw", f"ip addr add {ONPREM_GW}/16 dev lan")
    ns.veth(("vpc", "vpc"), ("aws", "vpc"))
    ns.sh("vpc", f"ip addr add {VPC_HOST}/16 dev vpc && ip route add default via {VPC_GW}")
    ns.sh("aws", f"ip addr add {VPC_GW}/16 dev vpc")
    ip, host, flags = outside.ip, outside.host_len, outside.addr_flags
    for n in (1, 2):
        ns.veth((f"cgw{n}", "eth0"), ("inet", f"c{n}"))
        ns.sh(
            f"cgw{n}",
            f"{ip} addr add {outside.cgw}/{host} dev eth0{flags} "
            f"&& {ip} route add {outside.inet_cgw_side} dev eth0 "
            f"&& {ip} route add default via {outside.inet_cgw_side} dev eth0",
        )
        aws_ip = outside.aws[n - 1]
        ns.veth((f"aws{n}", "eth0"), ("inet", f"a{n}"))
        ns.sh(
            f"aws{n}",
            f"{ip} addr add {aws_ip}/{host} dev eth0{flags} "
            f"&& {ip} route add {outside.inet_aws_side} dev eth0 "
            f"&& {ip} route add default via {outside.inet_aws_side} dev eth0",
        )
        # Both CGW helpers own the CGW's outside IP; the transit steers by AWS source address.
        ns.sh(
            "inet",
            f"{ip} addr add {outside.inet_cgw_side}/{host} dev c{n}{flags} "
            f"&& {ip} addr add {outside.inet_aws_side}/{host} dev a{n}{flags} "
            f"&& {ip} route add {aws_ip}/{host} dev a{n} "
            f"&& {ip} route add {outside.cgw}/{host} dev c{n} table 10{n} "
            f"&& {ip} rule add from {aws_ip} lookup 10{n}",
        )


def _aws_psks(vpn: aws_side.AwsVpn, template: LabTemplate) -> tuple[str, str]:
    """Literal PSKs from the template if it has any, else fresh ones as AWS would generate."""
    specs = template.template["Resources"][vpn.logical_id]["Properties"].get(
        "VpnTunnelOptionsSpecifications", [{}, {}]
    )
    found = [s.get("PreSharedKey") for s in specs] + [None, None]
    first, second = (p if isinstance(p, str) and "{{" not in p else random_psk() for p in found[:2])
    return first, second


def start_aws_end(
    ns: Netns,
    *,
    root: Path,
    number: int,
    tunnel: aws_side.AwsTunnel,
    outside: Outside,
    psk: str,
    updown: Path,
    base_conf: Path,
) -> tuple[Charon, Path]:
    """The AWS side of tunnel ``number``: its charon, its tun device moved to the router, and its
    swanctl.conf (mode 0600: it holds the PSK) written from the template. Loading it is the
    caller's, once the customer side it talks to exists."""
    charon = start_charon(
        ns, helper=f"aws{number}", directory=root / f"aws{number}", base_conf=base_conf
    )
    move_tun(ns, helper=f"aws{number}", router="aws", name=f"tun{number}")
    conf = root / f"aws{number}" / "swanctl.conf"
    conf.write_text(
        aws_side.swanctl_conf(
            tunnel,
            aws_ip=outside.aws[number - 1],
            cgw_ip=outside.cgw,
            psk=psk,
            updown=str(updown),
        ),
        encoding="utf-8",
    )
    conf.chmod(0o600)
    return charon, conf


def build(
    template: LabTemplate,
    *,
    workdir: Path | None = None,
    tamper: Callable[[int, str], str] | None = None,
    outside: Outside = OUTSIDE_V4,
    stack: Stack = Stack.STRONGSWAN_FRR,
) -> Lab:
    """Bring the lab up; on any failure, tear down what was created and re-raise.

    ``outside=OUTSIDE_V6`` runs IKE and ESP over IPv6 (a template with OutsideIpAddressType
    Ipv6); everything inside the tunnels stays as in the IPv4 lab.
    """
    root = workdir or Path(tempfile.mkdtemp(prefix="s2s-lab-"))
    root.chmod(0o711)
    ns = Netns(prefix=stack.prefix + run_prefix().removeprefix("s2s"), workdir=root)
    try:
        return _build(ns, template, tamper, outside, stack)
    except BaseException:
        ns.teardown()
        raise


def _build(
    ns: Netns,
    template: LabTemplate,
    tamper: Callable[[int, str], str] | None,
    outside: Outside = OUTSIDE_V4,
    stack: Stack = Stack.STRONGSWAN_FRR,
) -> Lab:
    vpn = aws_side.read_template(template.template, amazon_asn=template.amazon_asn)
    psks = _aws_psks(vpn, template)
    root = ns.workdir
    updown_cgw = write_updown(root / "updown-cgw.sh", ns.name("cgw"))
    updown_aws = write_updown(root / "updown-aws.sh", ns.name("aws"))
    facts = _lab_facts(vpn, psks, updown_cgw, outside)
    props = template.template["Resources"][vpn.logical_id]["Properties"]
    rendered = render(vpn_properties=props, customer_asn=vpn.customer_asn, facts=facts)
    config_dir = root / "cgw-config"
    rendered.write(config_dir)
    aws_conf = root / "aws-strongswan.conf"
    aws_conf.write_text(AWS_STRONGSWAN_CONF, encoding="utf-8")
    lab = Lab(
        ns=ns,
        template=template,
        aws=vpn,
        facts=facts,
        rendered=rendered,
        outside=outside,
        stack=stack,
    )
    _wire(ns, outside)
    started = time.monotonic()
    for n, tunnel in zip((1, 2), vpn.tunnels, strict=True):
        aws, _ = start_aws_end(
            ns,
            root=root,
            number=n,
            tunnel=tunnel,
            outside=outside,
            psk=psks[n - 1],
            updown=updown_aws,
            base_conf=aws_conf,
        )
        ns.sh(
            "aws",
            f"ip addr add {tunnel.aws_ip}/30 dev tun{n} && ip link set tun{n} mtu {TUN_MTU} up",
        )
        lab.charons[f"aws{n}"] = aws
        cgw = start_charon(
            ns,
            helper=f"cgw{n}",
            directory=root / f"cgw{n}",
            base_conf=config_dir / "strongswan.conf",
        )
        move_tun(ns, helper=f"cgw{n}", router="cgw", name=f"tun{n}")
        lab.charons[f"cgw{n}"] = cgw
    ns.run("cgw", ["sh", str(config_dir / "interfaces.sh")])
    # AWS's own data plane fails over between its tunnel endpoints; the lab stands in for it with
    # the same kind of backstop, so the failover measured is the customer side's.
    ns.sh(
        "aws",
        "ip rule add priority 1000 lookup main suppress_prefixlength 0 && "
        "ip rule add priority 1001 lookup 100 && "
        f"ip route replace {ONPREM_PREFIX} table 100 nexthop dev tun1 nexthop dev tun2",
    )
    ns.run("cgw", ["nft", "-f", str(config_dir / "nftables.conf")])
    lab.frr["aws"] = start_frr(
        ns,
        router="aws",
        directory=root / "frr-aws",
        bgpd_conf=aws_side.frr_conf(vpn, vpc_prefixes=[VPC_PREFIX]),
    )
    if stack is Stack.LIBRESWAN_BIRD:
        # The bird.conf render_libreswan writes, for this lab's tun1/tun2 tunnel interfaces.
        policy = vpn_policy(props)
        bird = bird_conf(
            resolve(policy, facts),
            facts,
            vpn.customer_asn,
            static_routes_only=policy.static_routes_only,
        )
        lab.frr["cgw"] = start_bird(ns, router="cgw", directory=root / "bird-cgw", conf=bird)
    else:
        lab.frr["cgw"] = start_frr(
            ns,
            router="cgw",
            directory=root / "frr-cgw",
            bgpd_conf=(config_dir / "frr.conf").read_text(encoding="utf-8"),
        )
    for n in (1, 2):
        lab.charons[f"aws{n}"].load(ns, root / f"aws{n}" / "swanctl.conf")
    for n in (1, 2):
        conf_path = config_dir / f"swanctl-tunnel{n}.conf"
        if tamper is not None:
            tampered = tamper(n, rendered.files[conf_path.name])
            conf_path = root / f"tampered-tunnel{n}.conf"
            conf_path.write_text(tampered, encoding="utf-8")
            conf_path.chmod(0o600)
        lab.charons[f"cgw{n}"].load(ns, conf_path)
    if tamper is None:
        if wait_for(lambda: True if ready(lab) else None, timeout=BRING_UP_TIMEOUT) is None:
            raise LabError("BGP routes and a ping across did not come up within the timeout")
        lab.bring_up_seconds = time.monotonic() - started
    return lab


def _bgp_complete(lab: Lab, router: str) -> bool:
    peers = lab.frr[router].bgp_peers(lab.ns)
    return len(peers) == 2 and all(
        p.get("state") == "Established" and int(p.get("pfxRcd", 0)) >= 1 for p in peers.values()
    )


def ready(lab: Lab) -> bool:
    """All four BGP sessions carry a prefix, and a ping crosses.

    The ping alone is not enough: the fast-reroute backstop can carry it before BGP is up.
    """
    return _bgp_complete(lab, "cgw") and _bgp_complete(lab, "aws") and ping_once(lab)


def ping_once(lab: Lab) -> bool:
    """One ping from the on-premises host to the VPC host."""
    result = lab.ns.run("onprem", ["ping", "-n", "-c", "1", "-W", "1", VPC_HOST], check=False)
    return result.returncode == 0
