"""aws-cdk-lib's own objects in every gateway slot, in an app with ``cdk init``'s feature flags.

The done-when of issue 21: L1s (``CfnTransitGateway``, ``CfnCustomerGateway``,
``CfnTransitGatewayRouteTable``) and an L2 (``ec2.VpnGateway``) fit the slots, the template
points at them, cfn-lint and both cdk-nag packs pass (``tests.support.synth``); wrong objects and
malformed ids are clear errors naming the field.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs

import site_to_site_vpn
from site_to_site_vpn import (
    CustomerGatewayProps,
    ExistingVpnGateway,
    SiteToSiteVpn,
    TransitGatewayHub,
    ValidationError,
    VirtualPrivateGateway,
)
from tests.support import assert_reported, imported_vpc, new_stack, only_resource, synth


def _logical_id(stack: cdk.Stack, resource: cdk.CfnResource) -> str:
    return str(stack.resolve(resource.logical_id))


@pytest.mark.slow
def test_aws_cdk_lib_objects_in_every_slot_synthesize_clean() -> None:
    stack = new_stack()
    tgw = ec2.CfnTransitGateway(
        stack,
        "Tgw",
        amazon_side_asn=64_600,
        default_route_table_association="disable",
        default_route_table_propagation="disable",
        auto_accept_shared_attachments="disable",
    )
    onprem = ec2.CfnTransitGatewayRouteTable(stack, "OnPrem", transit_gateway_id=tgw.ref)
    vpcs = ec2.CfnTransitGatewayRouteTable(stack, "Vpcs", transit_gateway_id=tgw.ref)
    hub = TransitGatewayHub.from_transit_gateway_attributes(
        stack, "Hub", transit_gateway_id=tgw.ref
    )
    on_tgw = SiteToSiteVpn(
        stack,
        "OnCfnTgw",
        transit_gateway=tgw,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65_010),
    )
    cgw = ec2.CfnCustomerGateway(
        stack, "Cgw", type="ipsec.1", ip_address="203.0.113.20", bgp_asn=65_020
    )
    with_cfn_cgw = SiteToSiteVpn(stack, "WithCfnCgw", transit_gateway=hub, customer_gateway=cgw)
    hub.connect_vpn(with_cfn_cgw, associate_with=onprem, propagate_to=[vpcs])
    vgw = ec2.VpnGateway(stack, "Vgw", type="ipsec.1", amazon_side_asn=64_700)
    on_vgw = SiteToSiteVpn(
        stack,
        "OnL2Vgw",
        vpn_gateway=vgw,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.30", bgp_asn=65_030),
    )
    template = synth(stack)
    resources = template["Resources"]
    ref_tgw = {"Ref": _logical_id(stack, tgw)}
    assert (
        resources[_logical_id(stack, on_tgw.vpn_connection)]["Properties"]["TransitGatewayId"]
        == ref_tgw
    )
    with_cgw = resources[_logical_id(stack, with_cfn_cgw.vpn_connection)]["Properties"]
    assert with_cgw["CustomerGatewayId"] == {
        "Fn::GetAtt": [_logical_id(stack, cgw), "CustomerGatewayId"]
    } or with_cgw["CustomerGatewayId"] == {"Ref": _logical_id(stack, cgw)}
    assert with_cgw["TransitGatewayId"] == ref_tgw
    assoc = only_resource(template, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert assoc["Properties"]["TransitGatewayRouteTableId"] == {"Ref": _logical_id(stack, onprem)}
    propagation = only_resource(template, "AWS::EC2::TransitGatewayRouteTablePropagation")
    assert propagation["Properties"]["TransitGatewayRouteTableId"] == {
        "Ref": _logical_id(stack, vpcs)
    }
    vgw_l1 = vgw.node.default_child
    assert isinstance(vgw_l1, cdk.CfnResource)
    assert resources[_logical_id(stack, on_vgw.vpn_connection)]["Properties"]["VpnGatewayId"] == {
        "Ref": _logical_id(stack, vgw_l1)
    }


def test_the_asn_is_read_from_an_l1_literal_and_a_clash_refused() -> None:
    stack = new_stack()
    tgw = ec2.CfnTransitGateway(stack, "Tgw", amazon_side_asn=65_010)
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            transit_gateway=tgw,
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65_010),
        )
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="customer_gateway.bgp_asn",
        value="65010",
        rule="must differ from the Amazon-side ASN (65010)",
    )


def test_an_explicit_amazon_side_asn_is_validated() -> None:
    stack = new_stack()
    tgw = ec2.CfnTransitGateway.from_transit_gateway_id(stack, "Tgw", "tgw-0123456789abcdef0")
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            transit_gateway=tgw,
            amazon_side_asn="64512",  # type: ignore[arg-type]
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
        )
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="amazon_side_asn",
        value="'64512'",
        rule="must be an integer ASN",
    )


def test_a_vpc_as_transit_gateway_is_a_clear_error() -> None:
    stack = new_stack()
    vpc = imported_vpc(stack)
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            transit_gateway=vpc,  # type: ignore[arg-type]
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
        )
    message = str(caught.value)
    assert "transit_gateway = " in message
    assert "must be an ITransitGatewayRef" in message


def test_a_malformed_id_is_refused_on_import() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        VirtualPrivateGateway.from_vpn_gateway_attributes(stack, "Old", vpn_gateway_id="vgw-abc")
    assert_reported(
        caught.value,
        path="TestStack/Old",
        field="vpn_gateway_id",
        value="'vgw-abc'",
        rule="8 or 17 hex digits",
    )
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn.from_vpn_connection_attributes(stack, "Vpn", vpn_connection_id="vpn-1")
    assert "vpn_connection_id = 'vpn-1'" in str(caught.value)


def test_vpn_connection_ref_and_an_imported_vpn() -> None:
    stack = new_stack()
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        vpn_gateway=ExistingVpnGateway("vgw-0123456789abcdef0"),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
    )
    assert vpn.vpn_connection_ref.vpn_connection_id == vpn.vpn_connection_id
    imported = SiteToSiteVpn.from_vpn_connection_attributes(
        stack, "Old", vpn_connection_id="vpn-0123456789abcdef0"
    )
    assert imported.vpn_connection_ref.vpn_connection_id == "vpn-0123456789abcdef0"
    metric = imported.metric_tunnel_state(period=cdk.Duration.minutes(1))
    assert metric.dimensions == {"VpnId": "vpn-0123456789abcdef0"}
    assert metric.period.to_seconds() == 60


def test_the_root_names_are_few_and_none_is_an_aws_cdk_lib_reference_type() -> None:
    names = site_to_site_vpn.__all__
    assert len(names) <= 45
    assert len(set(names)) == len(names)
    aws_cdk_names = set(dir(ec2_refs)) | set(dir(cdk)) | set(dir(ec2))
    assert sorted(set(names) & aws_cdk_names) == []
    for name in names:
        assert getattr(site_to_site_vpn, name) is not None


@pytest.mark.slow
def test_vpn_monitoring_is_a_cdk_monitoring_constructs_segment() -> None:
    import cdk_monitoring_constructs as cmc  # noqa: PLC0415 - the app imports it first

    stack = new_stack()
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        vpn_gateway=ExistingVpnGateway("vgw-0123456789abcdef0"),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
    )
    assert vpn.monitoring is not None
    facade = cmc.MonitoringFacade(stack, "Facade")
    facade.add_segment(vpn.monitoring)
    template = synth(stack)
    dashboards = [
        resource
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::CloudWatch::Dashboard"
    ]
    body = json.dumps(dashboards)
    assert dashboards
    assert "TunnelState" in body
    assert all(alarm.alarm_arn for alarm in vpn.monitoring.cloudwatch_alarms.values())


@pytest.mark.slow
def test_alarm_actions_take_any_alarm_action_beside_the_topic() -> None:
    from aws_cdk import aws_cloudwatch_actions as actions  # noqa: PLC0415
    from aws_cdk import aws_kms as kms  # noqa: PLC0415
    from aws_cdk import aws_sns as sns  # noqa: PLC0415

    from site_to_site_vpn import VpnMonitoringOptions  # noqa: PLC0415

    stack = new_stack()
    key = kms.Key(stack, "PagerKey", enable_key_rotation=True)
    pager = sns.Topic(stack, "Pager", master_key=key, enforce_ssl=True)
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        vpn_gateway=ExistingVpnGateway("vgw-0123456789abcdef0"),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
        monitoring=VpnMonitoringOptions(alarm_actions=(actions.SnsAction(pager),)),
    )
    assert vpn.monitoring is not None
    template = synth(stack)
    pager_ref = {"Ref": _logical_id(stack, pager.node.default_child)}  # type: ignore[arg-type]
    alarms = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    ]
    assert alarms
    for alarm in alarms:
        assert len(alarm["AlarmActions"]) == 2
        assert pager_ref in alarm["AlarmActions"]
        assert pager_ref in alarm["OKActions"]
    assert set(vpn.monitoring.cloudwatch_alarms) == set(vpn.monitoring.alarms)


def test_a_wrong_object_in_any_slot_is_one_problem_naming_the_slot() -> None:
    stack = new_stack()
    vpc = imported_vpc(stack)
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            vpn_gateway=vpc,  # type: ignore[arg-type]
            customer_gateway="cgw-0123456789abcdef0",  # type: ignore[arg-type]
        )
    fields = {problem.field: problem.allowed for problem in caught.value.problems}
    assert "must be an IVPNGatewayRef" in fields["vpn_gateway"]
    assert "must be an ICustomerGatewayRef" in fields["customer_gateway"]


def test_a_wrong_route_table_is_a_problem_naming_the_argument() -> None:
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", route_table_names=["onprem"])
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        transit_gateway=hub,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
    )
    with pytest.raises(ValidationError) as caught:
        hub.connect_vpn(
            vpn,
            associate_with=hub.route_table("onprem"),
            propagate_to=["tgw-rtb-0123456789abcdef0"],  # type: ignore[list-item]
        )
    fields = {problem.field: problem.allowed for problem in caught.value.problems}
    assert "must be an ITransitGatewayRouteTableRef" in fields["propagate_to[0]"]
    assert not hub.is_routed(vpn)


def test_our_constructs_are_the_ref_interfaces_aws_cdk_lib_takes() -> None:
    """aws-cdk-lib's own L1s accept ours where they take a reference (jsii checks it)."""
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", route_table_names=["onprem"])
    table = ec2.CfnTransitGatewayRouteTable(stack, "Extra", transit_gateway_id=hub)
    assert stack.resolve(table.transit_gateway_id) == {
        "Ref": _logical_id(stack, hub.transit_gateway)
    }
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        transit_gateway=hub,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10"),
    )
    route = ec2.CfnVPNConnectionRoute(
        stack,
        "Route",
        destination_cidr_block="10.0.0.0/16",
        vpn_connection_id=vpn,
    )
    assert stack.resolve(route.vpn_connection_id) == stack.resolve(vpn.vpn_connection_id)
    association = ec2.CfnTransitGatewayRouteTableAssociation(
        stack,
        "Association",
        transit_gateway_attachment_id="tgw-attach-0123456789abcdef0",
        transit_gateway_route_table_id=hub.route_table("onprem"),
    )
    assert stack.resolve(association.transit_gateway_route_table_id) == stack.resolve(
        hub.route_table("onprem").route_table_id
    )
