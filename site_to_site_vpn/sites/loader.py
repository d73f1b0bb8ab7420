"""Load a sites file: YAML -> pydantic model -> the core's AWS rules -> preflight -> typed model.

Every problem is collected and raised in one :class:`SitesFileError` naming the file and the path
of each bad value (``sites[3].tunnels[1].phase2.lifetime_seconds``), before any construct exists.
Structure is checked by the pydantic model in :mod:`site_to_site_vpn.sites.document` (from which
the published ``sites.schema.json`` is generated); AWS's value rules come from the core's
validation functions, so no rule is written twice. A site with a structural problem is left out of
the value checks, so the other sites' problems are still all reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError as PydanticError

from site_to_site_vpn.constructs.connection_options import Routing
from site_to_site_vpn.constructs.customer_gateway import CustomerGatewayProps
from site_to_site_vpn.constructs.gateways import ExistingTransitGateway
from site_to_site_vpn.constructs.rules import amazon_asn_problems, inside_cidr_problems
from site_to_site_vpn.constructs.site_to_site_vpn_props import (
    SiteToSiteVpnProps,
    validate_site_to_site_vpn_props,
)
from site_to_site_vpn.constructs.tunnel_options import validate_tunnel_options
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.core.reachability import ReachabilityTarget, reachability_target_problems
from site_to_site_vpn.sites.document import (
    DefaultsDocument,
    HubDocument,
    SiteDocument,
    SitesDocument,
)
from site_to_site_vpn.sites.model import (
    HubSpec,
    MonitoringSpec,
    QuotaSpec,
    RouteTableSpec,
    SitesFile,
    SiteSpec,
    VpnConcentratorSpec,
)
from site_to_site_vpn.sites.preflight import preflight_problems
from site_to_site_vpn.sites.problems import (
    Location,
    Shown,
    SitesFileError,
    in_file_order,
    problems_of,
    shown,
)
from site_to_site_vpn.sites.tunnels import file_path_of, tunnel_options

SCHEMA_FILE: Final = "sites.schema.json"
#: Stands in for the Transit Gateway id when validating sites of a hub that creates its own.
_PLANNED_TGW_ID: Final = "tgw-00000000000000000"
#: What an empty (or non-mapping) file is told.
EXPECTED_DOCUMENT: Final = (
    "a sites file is a YAML mapping with the keys version: 1, hub: (account, region, "
    "transit_gateway, route_tables) and sites: (a list of sites with name and "
    "customer_gateway); see docs/sites-file.md"
)


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the sites file (generated from the model, committed)."""
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
        relabelled.append(
            Problem(f"{prefix}{where}", problem.value, problem.allowed, problem.secret)
        )
    return relabelled


def _association(defaults: DefaultsDocument, hub: HubDocument) -> str:
    return defaults.route_table or hub.route_tables[0].name


def _hub(raw: HubDocument, defaults: DefaultsDocument) -> tuple[HubSpec, list[Problem]]:
    tgw = raw.transit_gateway
    association = _association(defaults, raw)
    hub = HubSpec(
        name=raw.name,
        account=raw.account,
        region=raw.region,
        transit_gateway_id=tgw.id,
        amazon_side_asn=tgw.amazon_side_asn,
        reserved_inside_cidrs=tgw.reserved_inside_cidrs,
        route_tables=tuple(RouteTableSpec(name=t.name, id=t.id) for t in raw.route_tables),
        vpn_concentrators=tuple(
            VpnConcentratorSpec(
                name=c.name,
                route_table=c.route_table or association,
                propagate_to=c.propagate_to
                or defaults.propagate_to
                or (c.route_table or association,),
            )
            for c in raw.vpn_concentrators
        ),
        tags=tuple(sorted(raw.tags.items())),
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
    concentrators: set[str] = set()
    for i, concentrator in enumerate(raw.vpn_concentrators):
        if concentrator.name in concentrators:
            problems.append(
                Problem(f"hub.vpn_concentrators[{i}].name", concentrator.name, "is given twice")
            )
        concentrators.add(concentrator.name)
        problems += _route_table_problems(
            f"hub.vpn_concentrators[{i}].",
            hub,
            concentrator.route_table,
            concentrator.propagate_to or (),
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


def _concentrator_problems(where: str, raw: SiteDocument, hub: HubSpec) -> list[Problem]:
    """A site on a VPN Concentrator: the concentrator exists, routes it, and BGP only."""
    names = [c.name for c in hub.vpn_concentrators]
    problems = []
    if raw.vpn_concentrator not in names:
        problems.append(
            Problem(
                f"{where}vpn_concentrator",
                raw.vpn_concentrator,
                f"must name one of hub.vpn_concentrators: {names}",
            )
        )
    # "AWS Site-to-Site VPN Concentrators" (Site-to-Site VPN User Guide), Routing: "Site-to-Site
    # VPN Concentrators support BGP (Border Gateway Protocol) routing only. Static routing is not
    # supported."
    if raw.routing == "static":
        problems.append(
            Problem(
                f"{where}routing",
                raw.routing,
                "must be bgp on a VPN Concentrator: AWS supports BGP routing only there (AWS "
                "Site-to-Site VPN Concentrators); give the site its own attachment (no "
                "vpn_concentrator) for static routing",
            )
        )
    # The concentrator's one attachment is routed once, by the hub: a per-site table would be
    # silently unused.
    for key in ("route_table", "propagate_to"):
        if key in raw.model_fields_set:
            problems.append(
                Problem(
                    f"{where}{key}",
                    shown(getattr(raw, key)),
                    "must be left out on a VPN Concentrator site: its sites share the "
                    f"concentrator's attachment, routed by hub.vpn_concentrators[].{key}",
                )
            )
    return problems


def _site(
    index: int, raw: SiteDocument, hub: HubSpec, defaults: DefaultsDocument
) -> tuple[SiteSpec, list[Problem]]:
    overrides = [*raw.tunnels, None, None]
    association = raw.route_table or defaults.route_table or hub.route_tables[0].name
    propagate_to = raw.propagate_to or defaults.propagate_to or (association,)
    concentrator = next((c for c in hub.vpn_concentrators if c.name == raw.vpn_concentrator), None)
    if concentrator is not None:
        association, propagate_to = concentrator.route_table, concentrator.propagate_to
    site = SiteSpec(
        name=raw.name,
        index=index,
        ip_address=raw.customer_gateway.ip_address,
        bgp_asn=raw.customer_gateway.bgp_asn,
        device_name=raw.customer_gateway.device_name,
        routing=Routing(
            static_routes_only=raw.routing == "static",
            static_route_prefixes=raw.static_routes,
        ),
        route_table=association,
        propagate_to=propagate_to,
        tunnel1=tunnel_options(defaults.tunnel, overrides[0]),
        tunnel2=tunnel_options(defaults.tunnel, overrides[1]),
        tags=tuple(sorted({**defaults.tags, **raw.tags}.items())),
        vpn_concentrator=raw.vpn_concentrator,
        reachability_targets=tuple(
            ReachabilityTarget(destination=t.destination, protocol=t.protocol, port=t.port)
            for t in raw.reachability_targets
        ),
    )
    customer_gateway = CustomerGatewayProps(
        ip_address=site.ip_address, bgp_asn=site.bgp_asn, device_name=site.device_name
    )
    props = SiteToSiteVpnProps(
        customer_gateway=customer_gateway,
        transit_gateway=ExistingTransitGateway(
            transit_gateway_id=hub.transit_gateway_id or _PLANNED_TGW_ID,
            amazon_side_asn=hub.amazon_side_asn,
        ),
        routing=site.routing,
        tunnel1=site.tunnel1,
        tunnel2=site.tunnel2,
        vpn_name=site.name,
    )
    where = f"sites[{index}]."
    # The site stack routes static sites through the hub itself (hub.connect_vpn).
    core = validate_site_to_site_vpn_props(props, static_routes_written_by_caller=True)
    mapping = {
        "tunnel1": "tunnels[0]",
        "tunnel2": "tunnels[1]",
        "routing.static_route_prefixes": "static_routes",
    }
    problems = _moved(core, mapping, where)
    problems += _route_table_problems(where, hub, raw.route_table, raw.propagate_to or ())
    if raw.vpn_concentrator is not None:
        problems += _concentrator_problems(where, raw, hub)
    problems += reachability_target_problems(
        site.reachability_targets, f"{where}reachability_targets"
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


def _defaults_problems(defaults: DefaultsDocument) -> list[Problem]:
    options = tunnel_options(defaults.tunnel)
    return [
        Problem(f"defaults.tunnel.{file_path_of(p.field)}", p.value, p.allowed, p.secret)
        for p in validate_tunnel_options(options)
    ]


def _typed(document: Mapping[str, Any]) -> tuple[SitesDocument | None, list[int], list[Problem]]:
    """The document typed, the file positions of the sites it holds, and its structural problems.

    A site with a structural problem is left out (and its problems reported); anything else
    structurally wrong leaves nothing to type.
    """
    try:
        typed = SitesDocument.model_validate(document)
    except PydanticError as error:
        located = problems_of(error, SitesDocument)
    else:
        return typed, list(range(len(typed.sites))), []
    problems = in_file_order(located)
    sites = document.get("sites")
    bad_sites = {where[1] for where, _ in located if _is_in_a_site(where)}
    if not isinstance(sites, list) or not all(_is_in_a_site(where) for where, _ in located):
        return None, [], problems
    kept = [index for index in range(len(sites)) if index not in bad_sites]
    try:
        typed = SitesDocument.model_validate({**document, "sites": [sites[i] for i in kept]})
    except PydanticError:  # pragma: no cover - every error was inside a left-out site
        return None, [], problems
    return typed, kept, problems


def _is_in_a_site(where: Location) -> bool:
    return len(where) > 1 and where[0] == "sites" and isinstance(where[1], int)


def parse_sites(document: Any, path: str) -> SitesFile:
    """Validate a parsed sites document and return its typed model; raise every problem at once."""
    if document is None:
        raise SitesFileError(path, [Problem("(file)", Shown("<empty>"), EXPECTED_DOCUMENT)])
    if not isinstance(document, Mapping):
        raise SitesFileError(
            path, [Problem("(file)", shown(document), f"is not a mapping: {EXPECTED_DOCUMENT}")]
        )
    typed, positions, problems = _typed(document)
    if typed is None:
        raise SitesFileError(path, problems)
    defaults = typed.defaults
    hub, hub_problems = _hub(typed.hub, defaults)
    default_problems = _defaults_problems(defaults)
    problems += hub_problems + default_problems
    problems += _route_table_problems(
        "defaults.", hub, defaults.route_table, defaults.propagate_to or ()
    )
    sites = []
    for index, raw in zip(positions, typed.sites, strict=True):
        site, site_problems = _site(index, raw, hub, defaults)
        sites.append(site)
        problems += _site_problems_not_in_defaults(site_problems, default_problems)
    monitoring = typed.monitoring
    quotas = typed.quotas
    loaded = SitesFile(
        path=path,
        hub=hub,
        sites=tuple(sites),
        monitoring=MonitoringSpec(
            sns_topic_arn=monitoring.sns_topic_arn,
            email_subscriptions=monitoring.email_subscriptions,
            log_retention_days=monitoring.log_retention_days,
            per_tunnel_alarms=monitoring.per_tunnel_alarms,
            health_events=monitoring.health_events,
        ),
        quotas=QuotaSpec(**quotas.model_dump()),
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
    shown_path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        problem = Problem("(file)", shown_path, f"cannot be read: {error.strerror}")
        raise SitesFileError(shown_path, [problem]) from error
    try:
        document = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        # Only the parser's own words: str(error) quotes the offending line, which may hold a key.
        reason = getattr(error, "problem", None) or type(error).__name__
        raise SitesFileError(
            shown_path, [Problem(where, Shown("<yaml>"), f"is not valid YAML: {reason}")]
        ) from error
    return parse_sites(document, shown_path)
