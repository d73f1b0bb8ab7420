"""Load a sites file: YAML -> JSON Schema -> typed model -> the core's AWS rules -> preflight.

Every problem is collected and raised in one :class:`SitesFileError` naming the file and the path
of each bad value (``sites[3].tunnels[1].phase2.lifetime_seconds``), before any construct exists.
Structure is checked by jsonschema against the published ``sites.schema.json``; AWS's value rules
come from the core's validation functions, so no rule is written twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from site_to_site_vpn.constructs.asn import amazon_asn_problems
from site_to_site_vpn.constructs.connection_options import Routing
from site_to_site_vpn.constructs.customer_gateway import (
    DEFAULT_CUSTOMER_ASN,
    CustomerGatewayProps,
    validate_customer_gateway_props,
)
from site_to_site_vpn.constructs.gateways import TransitGatewayReference
from site_to_site_vpn.constructs.site_to_site_vpn import (
    SiteToSiteVpnProps,
    validate_site_to_site_vpn_props,
)
from site_to_site_vpn.constructs.tunnel_options import inside_cidr_problems, validate_tunnel_options
from site_to_site_vpn.errors import Problem
from site_to_site_vpn.sites.model import (
    DEFAULT_HUB_NAME,
    HubSpec,
    MonitoringSpec,
    QuotaSpec,
    RouteTableSpec,
    SitesFile,
    SiteSpec,
)
from site_to_site_vpn.sites.preflight import preflight_problems
from site_to_site_vpn.sites.schema_check import Shown, SitesFileError, schema_problems
from site_to_site_vpn.sites.tunnels import file_path_of, tunnel_options

SCHEMA_FILE: Final = "sites.schema.json"
#: Stands in for the Transit Gateway id when validating sites of a hub that creates its own.
_PLANNED_TGW_ID: Final = "tgw-00000000000000000"


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the sites file."""
    text = resources.files("site_to_site_vpn.sites").joinpath(SCHEMA_FILE).read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice instead of silently keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _moved(problems: Iterable[Problem], mapping: Mapping[str, str], prefix: str) -> list[Problem]:
    """The core's problems re-labelled with the file paths their values came from."""
    relabelled = []
    for problem in problems:
        head, _, rest = problem.field.partition(".")
        if problem.field in mapping:
            where = mapping[problem.field]
        elif head in mapping:
            where = f"{mapping[head]}.{file_path_of(rest)}" if rest else mapping[head]
        else:
            where = file_path_of(problem.field)
        relabelled.append(Problem(f"{prefix}{where}", problem.value, problem.allowed))
    return relabelled


def _hub(raw: Mapping[str, Any]) -> tuple[HubSpec, list[Problem]]:
    tgw = raw["transit_gateway"]
    hub = HubSpec(
        name=raw.get("name", DEFAULT_HUB_NAME),
        account=raw["account"],
        region=raw["region"],
        transit_gateway_id=tgw.get("id"),
        amazon_side_asn=tgw.get("amazon_side_asn", HubSpec.amazon_side_asn),
        reserved_inside_cidrs=tuple(tgw.get("reserved_inside_cidrs", ())),
        route_tables=tuple(
            RouteTableSpec(name=t["name"], id=t.get("id")) for t in raw["route_tables"]
        ),
        tags=tuple(sorted(raw.get("tags", {}).items())),
    )
    where = "hub.transit_gateway"
    problems = amazon_asn_problems(f"{where}.amazon_side_asn", hub.amazon_side_asn)
    for i, cidr in enumerate(hub.reserved_inside_cidrs):
        problems += inside_cidr_problems(f"{where}.reserved_inside_cidrs[{i}]", cidr)
    seen: set[str] = set()
    for i, table in enumerate(hub.route_tables):
        if table.name in seen:
            problems.append(Problem(f"hub.route_tables[{i}].name", table.name, "is given twice"))
        seen.add(table.name)
        if table.id is not None and hub.transit_gateway_id is None:
            problems.append(
                Problem(
                    f"hub.route_tables[{i}].id",
                    table.id,
                    "an existing route table needs an existing Transit Gateway "
                    "(hub.transit_gateway.id)",
                )
            )
    return hub, problems


def _route_table_problems(
    where: str, hub: HubSpec, association: str | None, propagations: Sequence[str]
) -> list[Problem]:
    """Route table names given at ``where`` (``None`` / empty: not given there) must exist."""
    names = [table.name for table in hub.route_tables]
    allowed = f"must name one of hub.route_tables: {names}"
    problems = []
    if association is not None and association not in names:
        problems.append(Problem(f"{where}route_table", association, allowed))
    for i, name in enumerate(propagations):
        if name not in names:
            problems.append(Problem(f"{where}propagate_to[{i}]", name, allowed))
    if len(set(propagations)) != len(propagations):
        problems.append(Problem(f"{where}propagate_to", list(propagations), "has duplicates"))
    return problems


def _site(
    index: int, raw: Mapping[str, Any], hub: HubSpec, defaults: Mapping[str, Any]
) -> tuple[SiteSpec, list[Problem]]:
    tunnel_defaults = defaults.get("tunnel", {})
    overrides = list(raw.get("tunnels", []))
    overrides += [{}] * (2 - len(overrides))
    association = raw.get("route_table", defaults.get("route_table", hub.route_tables[0].name))
    cgw = raw["customer_gateway"]
    static = raw.get("routing", "bgp") == "static"
    site = SiteSpec(
        name=raw["name"],
        index=index,
        ip_address=cgw["ip_address"],
        bgp_asn=cgw.get("bgp_asn", DEFAULT_CUSTOMER_ASN),
        device_name=cgw.get("device_name"),
        routing=Routing(
            static_routes_only=static, static_route_prefixes=tuple(raw.get("static_routes", ()))
        ),
        route_table=association,
        propagate_to=tuple(raw.get("propagate_to", defaults.get("propagate_to", [association]))),
        tunnel1=tunnel_options(tunnel_defaults, overrides[0]),
        tunnel2=tunnel_options(tunnel_defaults, overrides[1]),
        tags=tuple(sorted({**defaults.get("tags", {}), **raw.get("tags", {})}.items())),
    )
    customer_gateway = CustomerGatewayProps(
        ip_address=site.ip_address, bgp_asn=site.bgp_asn, device_name=site.device_name
    )
    props = SiteToSiteVpnProps(
        customer_gateway=customer_gateway,
        transit_gateway=TransitGatewayReference(
            transit_gateway_id=hub.transit_gateway_id or _PLANNED_TGW_ID,
            amazon_side_asn=hub.amazon_side_asn,
        ),
        routing=site.routing,
        tunnel1=site.tunnel1,
        tunnel2=site.tunnel2,
        vpn_name=site.name,
    )
    where = f"sites[{index}]."
    core = [
        *[p.nested("customer_gateway.") for p in validate_customer_gateway_props(customer_gateway)],
        *validate_site_to_site_vpn_props(props),
    ]
    mapping = {
        "tunnel1": "tunnels[0]",
        "tunnel2": "tunnels[1]",
        "routing.static_route_prefixes": "static_routes",
    }
    problems = _moved(core, mapping, where)
    problems += _route_table_problems(
        where, hub, raw.get("route_table"), raw.get("propagate_to", ())
    )
    return site, problems


def _site_problems_not_in_defaults(
    problems: list[Problem], default_problems: list[Problem]
) -> list[Problem]:
    """Drop a site's copy of a problem that ``defaults.tunnel`` already reports once."""
    known = {(p.field.rpartition(".")[2], repr(p.value), p.allowed) for p in default_problems}
    return [
        p for p in problems if (p.field.rpartition(".")[2], repr(p.value), p.allowed) not in known
    ]


def _defaults_problems(defaults: Mapping[str, Any]) -> list[Problem]:
    options = tunnel_options(defaults.get("tunnel", {}))
    return [
        Problem(f"defaults.tunnel.{file_path_of(p.field)}", p.value, p.allowed)
        for p in validate_tunnel_options(options)
    ]


def parse_sites(document: Any, path: str) -> SitesFile:
    """Validate a parsed sites document and return its typed model; raise every problem at once."""
    located = schema_problems(document, schema())
    problems = [problem for _, problem in located]
    # Sites are typed one by one; anything else structurally wrong stops before typing.
    if not isinstance(document, Mapping) or any(
        len(where) < 2 or where[0] != "sites" for where, _ in located
    ):
        raise SitesFileError(path, problems)
    bad_sites = {where[1] for where, _ in located if where[:1] == ("sites",) and len(where) > 1}
    hub, hub_problems = _hub(document["hub"])
    defaults = document.get("defaults", {})
    default_problems = _defaults_problems(defaults)
    problems += hub_problems + default_problems
    problems += _route_table_problems(
        "defaults.", hub, defaults.get("route_table"), defaults.get("propagate_to", ())
    )
    sites = []
    for index, raw in enumerate(document["sites"]):
        if index in bad_sites:
            continue
        site, site_problems = _site(index, raw, hub, defaults)
        sites.append(site)
        problems += _site_problems_not_in_defaults(site_problems, default_problems)
    monitoring_raw = document.get("monitoring", {})
    loaded = SitesFile(
        path=path,
        hub=hub,
        sites=tuple(sites),
        monitoring=MonitoringSpec(
            sns_topic_arn=monitoring_raw.get("sns_topic_arn"),
            email_subscriptions=tuple(monitoring_raw.get("email_subscriptions", ())),
            log_retention_days=monitoring_raw.get(
                "log_retention_days", MonitoringSpec.log_retention_days
            ),
            per_tunnel_alarms=monitoring_raw.get("per_tunnel_alarms", True),
        ),
        quotas=QuotaSpec(**document.get("quotas", {})),
    )
    if loaded.monitoring.sns_topic_arn and loaded.monitoring.email_subscriptions:
        problems.append(
            Problem(
                "monitoring.email_subscriptions",
                list(loaded.monitoring.email_subscriptions),
                "only subscribe to the topic created here; with monitoring.sns_topic_arn, "
                "manage that topic's subscriptions where the topic is managed",
            )
        )
    problems += preflight_problems(loaded)
    if problems:
        raise SitesFileError(path, problems)
    return loaded


def load_sites_file(path: str | Path) -> SitesFile:
    """Read, validate and type a sites file. Raises :class:`SitesFileError` with every problem."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        problem = Problem("(file)", shown, f"cannot be read: {error.strerror}")
        raise SitesFileError(shown, [problem]) from error
    try:
        document = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        reason = getattr(error, "problem", None) or str(error)
        raise SitesFileError(
            shown, [Problem(where, Shown("<yaml>"), f"is not valid YAML: {reason}")]
        ) from error
    return parse_sites(document, shown)
