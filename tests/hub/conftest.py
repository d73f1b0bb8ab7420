"""Builders for hub tests: a hub with named route tables, VPNs on it, an imported VPC."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2

from site_to_site_vpn import CustomerGatewayProps, SiteToSiteVpn, TransitGatewayHub

HUB_ASN = 64512
VGW_ASN = 64513
CUSTOMER_ASN = 65010
CGW = CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=CUSTOMER_ASN)


def build_hub(
    stack: cdk.Stack, *names: str, construct_id: str = "Hub", **overrides: Any
) -> TransitGatewayHub:
    props: dict[str, Any] = {"amazon_side_asn": HUB_ASN, "route_table_names": names}
    props.update(overrides)
    return TransitGatewayHub(stack, construct_id, **props)


def build_vpn(scope: cdk.Stack, construct_id: str = "Vpn", **props: Any) -> SiteToSiteVpn:
    props.setdefault("customer_gateway", CGW)
    return SiteToSiteVpn(scope, construct_id, **props)


def imported_vpc(stack: cdk.Stack, **overrides: Any) -> ec2.IVpc:
    """A VPC with private and isolated subnets (the isolated ones share a route table)."""
    attributes: dict[str, Any] = {
        "vpc_id": "vpc-0123456789abcdef0",
        "availability_zones": ["us-east-1a", "us-east-1b"],
        "private_subnet_ids": ["subnet-0a", "subnet-0b"],
        "private_subnet_route_table_ids": ["rtb-private-a", "rtb-private-b"],
        "isolated_subnet_ids": ["subnet-1a", "subnet-1b"],
        "isolated_subnet_route_table_ids": ["rtb-isolated", "rtb-isolated"],
    }
    attributes.update(overrides)
    return ec2.Vpc.from_vpc_attributes(stack, "Vpc", **attributes)


def logical_id(stack: cdk.Stack, construct: Any) -> str:
    """The logical id ``construct`` (an L1 resource) gets in ``stack``'s template."""
    return str(stack.resolve(construct.logical_id))


def sdk_call(resource: Mapping[str, Any], key: str = "Create") -> dict[str, Any]:
    """A Custom::AWS resource's SDK call with tokens shown as ``<Ref:X>``/``<GetAtt:X.Y>``."""
    return resolve_json(resource["Properties"][key], {})


def resolve_json(value: Any, values: Mapping[str, str]) -> dict[str, Any]:
    """Evaluate the ``Fn::Join`` CloudFormation writes for a JSON string, then parse it.

    ``values`` maps ``Ref`` logical ids and ``GetAtt`` ``Id.Attr`` names to what CloudFormation
    would substitute; unknown references become readable placeholders.
    """
    result: dict[str, Any] = json.loads(_join(value, values))
    return result


def _join(value: Any, values: Mapping[str, str]) -> str:
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_join(part, values) for part in parts)
    if "Ref" in value:
        return values.get(value["Ref"], f"<Ref:{value['Ref']}>")
    if "Fn::GetAtt" in value:
        name = ".".join(value["Fn::GetAtt"])
        return values.get(name, f"<GetAtt:{name}>")
    raise AssertionError(f"unexpected intrinsic {value}")
