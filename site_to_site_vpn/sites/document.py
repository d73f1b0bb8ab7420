"""The sites file as written: a pydantic v2 model that gives types, error locations and the schema.

Each field is written once, here. The loader validates a parsed YAML document against
:class:`SitesDocument` (JSON semantics: ``"65001"`` is not an integer, ``111111111111`` is not a
string), maps pydantic's errors to :class:`~site_to_site_vpn.core.errors.Problem` (see
:mod:`site_to_site_vpn.sites.problems`) and turns the result into the typed model the stacks use
(:mod:`site_to_site_vpn.sites.model`). The JSON Schema editors use is generated from these classes
(:func:`json_schema`) and committed as ``sites.schema.json``.

Optional keys are ``None`` when absent; a key written with no value (``route_table:``) is refused
rather than read as "use the default".
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from site_to_site_vpn.constructs.customer_gateway import DEFAULT_CUSTOMER_ASN
from site_to_site_vpn.core import reachability
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.tunnel_options import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
)
from site_to_site_vpn.sites import model

SCHEMA_ID: Final = "https://github.com/cdk-site-to-site-vpn/sites.schema.json"

T = TypeVar("T")


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError(
            "null", "has no value; give one, or leave the key out for its default"
        )
    return value


#: Scalars as JSON has them: no coercion (``"65001"`` is not an integer, ``1`` not a string).
Int = Annotated[int, Strict()]
Str = Annotated[str, Strict()]
Bool = Annotated[bool, Strict()]

#: An optional key: absent means the default, an explicit empty value is refused.
Opt = Annotated[T | None, BeforeValidator(_refuse_null)]

#: Patterns and the rule each one states in an error message (and in the schema's description).
PATTERN_RULES: Final[dict[str, str]] = {
    r"^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$": (
        "1-48 characters of a-z, 0-9 and '-', not starting or ending with '-'"
    ),
    r"^[A-Za-z][A-Za-z0-9-]{0,39}$": (
        "1-40 characters of letters, digits and '-', starting with a letter"
    ),
    r"^[0-9]{12}$": "must be a 12-digit AWS account id",
    r"^[a-z]{2}(-[a-z]+)+-[0-9]$": "must be an AWS Region, e.g. us-east-1",
    r"^tgw-[0-9a-f]{8,17}$": "must look like tgw-0123456789abcdef0",
    r"^tgw-rtb-[0-9a-f]{8,17}$": "must look like tgw-rtb-0123456789abcdef0",
    r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$": (
        "must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:111111111111:alarms"
    ),
    r"^[^@\s]+@[^@\s]+$": "must be an e-mail address",
    r"^(?!aws:)": "must not start with 'aws:' (reserved by AWS)",
}


def _pattern(pattern: str, **extra: Any) -> Any:
    return Field(pattern=pattern, description=PATTERN_RULES[pattern], **extra)


Name = Annotated[Str, _pattern(r"^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$")]


def _not_aws_prefixed(key: str) -> str:
    if key.startswith("aws:"):
        raise PydanticCustomError("aws_tag", PATTERN_RULES[r"^(?!aws:)"])
    return key


TagKey = Annotated[Str, StringConstraints(min_length=1, max_length=128)]
TagValue = Annotated[Str, StringConstraints(max_length=256)]
Tags = Annotated[
    dict[Annotated[TagKey, AfterValidator(_not_aws_prefixed)], TagValue],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"minLength": 1, "maxLength": 128, "pattern": r"^(?!aws:)"},
            "additionalProperties": {"type": "string", "maxLength": 256},
        }
    ),
]

#: CloudWatch Logs' retention values in days.
LogRetentionDays = Literal[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
]  # fmt: skip
Profile = Literal["secure", "compatible"]


def _exactly(kind: type[int]) -> Any:
    """Refuse what lax validation would coerce (``"14"`` for DH group 14, ``true`` for 1)."""

    def check(value: Any) -> Any:
        if not isinstance(value, kind) or isinstance(value, bool):
            raise PydanticCustomError("int_type", "must be of type integer")
        return value

    return BeforeValidator(check)


DhGroupNumber = Annotated[DhGroup, _exactly(int)]


class FileModel(BaseModel):
    """Every part of the file: unknown keys refused, values never coerced, immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, regex_engine="python-re", populate_by_name=False
    )

    @classmethod
    def empty(cls) -> Self:
        """The section as if written with no keys: every default."""
        return cls.model_validate({})


class RouteTableDocument(FileModel):
    """A Transit Gateway route table sites associate with and propagate to."""

    name: Name
    id: Opt[Annotated[Str, _pattern(r"^tgw-rtb-[0-9a-f]{8,17}$")]] = Field(
        None,
        description="Existing route table (only with an existing Transit Gateway). "
        "@default created in the hub stack",
    )


class TransitGatewayDocument(FileModel):
    id: Opt[Annotated[Str, _pattern(r"^tgw-[0-9a-f]{8,17}$")]] = Field(
        None, description="An existing Transit Gateway. @default a new one in the hub stack"
    )
    amazon_side_asn: Int = Field(
        DEFAULT_AMAZON_SIDE_ASN,
        description="Amazon-side BGP ASN (of the new Transit Gateway, or of the existing one "
        "for the clash check). @default 64512",
    )
    reserved_inside_cidrs: tuple[Str, ...] = Field(
        (),
        description="Tunnel inside /30s already used on this Transit Gateway by VPNs outside "
        "this file; never allocated. @default none",
    )


class VpnConcentratorDocument(FileModel):
    """A Site-to-Site VPN Concentrator: one Transit Gateway attachment shared by many sites.

    Choose it for 25+ low-bandwidth sites (up to 100 Mbps each, 5 Gbps shared), BGP only, at most
    100 sites per concentrator and 5 concentrators per Transit Gateway (AWS Site-to-Site VPN User
    Guide, "AWS Site-to-Site VPN Concentrators"; Amazon VPC Transit Gateways Quotas).
    """

    name: Name = Field(description="Sites name it in their vpn_concentrator key.")
    route_table: Opt[Name] = Field(
        None,
        description="Route table the concentrator's attachment is associated with. "
        "@default defaults.route_table",
    )
    propagate_to: Opt[tuple[Name, ...]] = Field(
        None,
        description="Route tables its sites' BGP routes are propagated to. "
        "@default defaults.propagate_to",
    )


class HubDocument(FileModel):
    name: Str = Field(
        model.DEFAULT_HUB_NAME,
        pattern=r"^[A-Za-z][A-Za-z0-9-]{0,39}$",
        description="Prefix of the stack names (<name>-Hub, <name>-Sites-001, ...): 1-40 "
        "characters of letters, digits and '-', starting with a letter. @default SiteToSiteVpn",
    )
    account: Annotated[Str, _pattern(r"^[0-9]{12}$")]
    region: Annotated[Str, _pattern(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    transit_gateway: TransitGatewayDocument
    route_tables: tuple[RouteTableDocument, ...] = Field(
        min_length=1,
        description="Transit Gateway route tables sites associate with and propagate to.",
    )
    vpn_concentrators: tuple[VpnConcentratorDocument, ...] = Field(
        (),
        description="VPN Concentrators created in the hub stack; a site joins one with "
        "vpn_concentrator: NAME. @default none",
    )
    tags: Tags = Field(default_factory=dict, description="Tags on every resource. @default none")


class MonitoringDocument(FileModel):
    sns_topic_arn: Opt[
        Annotated[Str, _pattern(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")]
    ] = Field(
        None,
        description="Existing SNS topic for alarms. @default a new KMS-encrypted topic in the "
        "hub stack",
    )
    email_subscriptions: tuple[Annotated[Str, _pattern(r"^[^@\s]+@[^@\s]+$")], ...] = Field(
        (), description="E-mail addresses subscribed to the new topic. @default none"
    )
    log_retention_days: LogRetentionDays = Field(
        model.DEFAULT_LOG_RETENTION_DAYS,
        description="Retention of tunnel and BGP logs in days, one of CloudWatch Logs' "
        "retention values. @default 365",
    )
    per_tunnel_alarms: Bool = Field(
        True,
        description="Add a TunnelADown/TunnelBDown alarm per site (2 alarms per site), named by "
        "the tunnels' outside IPs, which the site's deploy-time facts resource reads (a site on "
        "a concentrator needs that resource only for them). Without them the per-VPN "
        "RedundancyLost alarm is created instead, firing for either tunnel. @default true",
    )
    health_events: Bool = Field(
        True,
        description="Send AWS Health events of the VPN service (tunnel endpoint replacements, "
        "single tunnel, redundancy loss) to the alarm topic: one EventBridge rule, in the hub "
        "stack. With monitoring.sns_topic_arn, that topic's policy must let "
        "events.amazonaws.com publish. @default true",
    )


def _quota(default: int) -> Any:
    return Field(default, ge=1, description=f"@default {default}")


class QuotasDocument(FileModel):
    """Service quotas available to this file's sites. State a raised quota here after Service
    Quotas approved it."""

    customer_gateways_per_region: Int = _quota(model.DEFAULT_CUSTOMER_GATEWAYS_PER_REGION)
    vpn_connections_per_region: Int = _quota(model.DEFAULT_VPN_CONNECTIONS_PER_REGION)
    attachments_per_transit_gateway: Int = _quota(model.DEFAULT_ATTACHMENTS_PER_TRANSIT_GATEWAY)
    vpn_connections_per_vpn_concentrator: Int = _quota(
        model.DEFAULT_VPN_CONNECTIONS_PER_VPN_CONCENTRATOR
    )
    vpn_concentrators_per_transit_gateway: Int = _quota(
        model.DEFAULT_VPN_CONCENTRATORS_PER_TRANSIT_GATEWAY
    )


class AlgorithmsDocument(FileModel):
    """Phase 1 or phase 2 settings of a tunnel."""

    encryption_algorithms: Opt[tuple[EncryptionAlgorithm, ...]] = None
    integrity_algorithms: Opt[tuple[IntegrityAlgorithm, ...]] = None
    dh_group_numbers: Opt[tuple[DhGroupNumber, ...]] = None
    lifetime_seconds: Opt[Int] = None


class TunnelDefaultsDocument(FileModel):
    """Tunnel options of every site, over the chosen profile. Unset fields keep the profile's."""

    profile: Opt[Profile] = Field(None, description="Starting point. @default secure")
    ike_versions: Opt[tuple[IkeVersion, ...]] = None
    phase1: Opt[AlgorithmsDocument] = None
    phase2: Opt[AlgorithmsDocument] = None
    rekey_margin_time_seconds: Opt[Int] = None
    rekey_fuzz_percentage: Opt[Int] = None
    replay_window_size: Opt[Int] = None
    dpd_timeout_seconds: Opt[Int] = None
    dpd_timeout_action: Opt[DpdTimeoutAction] = None
    startup_action: Opt[StartupAction] = None
    enable_tunnel_lifecycle_control: Opt[Bool] = None


class TunnelDocument(TunnelDefaultsDocument):
    """Overrides for one tunnel of a site, over defaults.tunnel."""

    tunnel_inside_cidr: Opt[Str] = Field(
        None,
        alias="inside_cidr",
        description="Pin the tunnel's inside /30. @default allocated once and kept in the lock "
        "file",
    )


class CustomerGatewayDocument(FileModel):
    ip_address: Str = Field(description="Public IPv4 address of the on-premises device.")
    bgp_asn: Int = Field(DEFAULT_CUSTOMER_ASN, description="The device's BGP ASN. @default 65000")
    device_name: Opt[Str] = Field(None, description="@default none")


class ReachabilityTargetDocument(FileModel):
    destination: Str = Field(
        description="An IPv4 address, a network interface id (eni-...) or an instance id (i-...) "
        "that on-premises traffic through this site's VPN must reach."
    )
    protocol: Literal["tcp", "udp"] = Field(
        reachability.DEFAULT_PROTOCOL, description="@default tcp"
    )
    port: Int = Field(
        reachability.DEFAULT_PORT,
        ge=reachability.MIN_PORT,
        le=reachability.MAX_PORT,
        description="Destination port. @default 443",
    )


class SiteDocument(FileModel):
    name: Name = Field(description="Unique; the site's construct id, so never rename a live site.")
    customer_gateway: CustomerGatewayDocument
    routing: Literal["bgp", "static"] = Field(
        "bgp", description="@default bgp (a site on a VPN Concentrator must use bgp)"
    )
    static_routes: tuple[Str, ...] = Field(
        (), description="On-premises prefixes, with routing: static only."
    )
    route_table: Opt[Name] = Field(
        None,
        description="@default defaults.route_table (a concentrator site is routed by its "
        "concentrator)",
    )
    propagate_to: Opt[tuple[Name, ...]] = Field(None, description="@default defaults.propagate_to")
    vpn_concentrator: Opt[Name] = Field(
        None,
        description="Attach through this hub.vpn_concentrators entry instead of its own "
        "Transit Gateway attachment. @default none",
    )
    tunnels: tuple[TunnelDocument, ...] = Field(
        (), max_length=2, description="Overrides for tunnel 1 and tunnel 2. @default none"
    )
    tags: Tags = Field(default_factory=dict, description="Tags on the site's resources.")
    reachability_targets: tuple[ReachabilityTargetDocument, ...] = Field(
        (),
        description="Opt-in: one AWS::EC2::NetworkInsightsPath per target, from the site's "
        "Transit Gateway attachment to the target, for s2svpn doctor --reachability (its id is "
        "a stack output). @default none",
    )


class DefaultsDocument(FileModel):
    tunnel: TunnelDefaultsDocument = Field(default_factory=TunnelDefaultsDocument.empty)
    route_table: Opt[Name] = Field(
        None, description="Route table sites associate with. @default the first of hub.route_tables"
    )
    propagate_to: Opt[tuple[Name, ...]] = Field(
        None, description="Route tables sites' routes go to. @default the association route table"
    )
    tags: Tags = Field(default_factory=dict, description="Tags on every site's resources.")


class SitesDocument(FileModel):
    """Site-to-Site VPN sites file: one Transit Gateway hub and its branch sites.

    Structure is checked here; AWS's value rules (ranges, ASNs, inside CIDRs) are checked by the
    library when the file is loaded.
    """

    version: Annotated[Literal[1], _exactly(int)] = Field(
        description="Format version of this file."
    )
    hub: HubDocument
    monitoring: MonitoringDocument = Field(default_factory=MonitoringDocument.empty)
    defaults: DefaultsDocument = Field(default_factory=DefaultsDocument.empty)
    quotas: QuotasDocument = Field(default_factory=QuotasDocument.empty)
    sites: tuple[SiteDocument, ...] = Field(
        description="The branch sites; order does not matter (placement and inside CIDRs are "
        "kept in the lock file)."
    )


class _FileSchema(GenerateJsonSchema):
    """The schema as the file is written: optional keys are never ``null``, no ``null`` defaults."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        generated = super().default_schema(schema)
        if generated.get("default", ...) is None:
            del generated["default"]
        return generated


def _without_titles(node: Any) -> Any:
    """Drop pydantic's generated ``title``s (class and field names): the descriptions say more."""
    if isinstance(node, dict):
        return {
            key: _without_titles(value)
            for key, value in node.items()
            if not (key == "title" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_without_titles(item) for item in node]
    return node


def json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the sites file, generated from :class:`SitesDocument`."""
    generated = SitesDocument.model_json_schema(by_alias=True, schema_generator=_FileSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Site-to-Site VPN sites file",
        **_without_titles(generated),
    }


def schema_text() -> str:
    """``sites.schema.json`` as committed: :func:`json_schema`, indented, with a final newline."""
    return json.dumps(json_schema(), indent=2) + "\n"
