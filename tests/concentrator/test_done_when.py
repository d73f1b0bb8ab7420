"""Issue 13's "done when", at construct level through the public API (the sites-file version is
branch isites'): 30 sites on one concentrator synthesize into one AWS::EC2::VPNConcentrator whose
attachment is associated once via GetAtt, 30 VPN connections carrying VpnConcentratorId and no
attachment lookups, cfn-lint and cdk-nag clean; static routing on a concentrator site and IPv6
outside addresses on a VGW are refused with clear errors.
"""

from __future__ import annotations

import pytest

import site_to_site_vpn as s2s
from tests.support import assert_reported, new_app, new_stack, resources_of_type, synth

SITES = 30


def test_thirty_sites_on_one_concentrator() -> None:
    app = new_app()
    hub_stack = new_stack(app, "HubStack")
    hub = s2s.TransitGatewayHub(
        hub_stack, "Hub", amazon_side_asn=64512, route_table_names=["onprem", "vpcs"]
    )
    concentrator = s2s.VpnConcentrator(hub_stack, "Branches", transit_gateway=hub)
    hub.connect_vpn_concentrator(
        concentrator,
        associate_with=hub.route_table("onprem"),
        propagate_to=[hub.route_table("vpcs")],
    )
    # With default logging and monitoring a site is 22 resources, so 30 sites exceed
    # CloudFormation's 500 resources per stack: they are spread over site stacks, as a real app
    # (and the sites file) must do.
    site_stacks = [new_stack(app, f"Sites{n}") for n in (1, 2)]
    for number in range(1, SITES + 1):
        s2s.SiteToSiteVpn(
            site_stacks[number % 2],
            f"Shop{number:02d}",
            customer_gateway=s2s.CustomerGatewayProps(
                ip_address=f"198.51.100.{number}", bgp_asn=65000 + number
            ),
            vpn_concentrator=concentrator,
        )

    hub_template = synth(hub_stack)  # cdk-nag and cfn-lint fail the test on any finding
    site_templates = [synth(stack) for stack in site_stacks]

    concentrators = resources_of_type(hub_template, "AWS::EC2::VPNConcentrator")
    assert len(concentrators) == 1
    (concentrator_id,) = concentrators
    attachment = {"Fn::GetAtt": [concentrator_id, "TransitGatewayAttachmentId"]}
    associations = resources_of_type(hub_template, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert [a["Properties"]["TransitGatewayAttachmentId"] for a in associations.values()] == [
        attachment
    ]
    propagations = resources_of_type(hub_template, "AWS::EC2::TransitGatewayRouteTablePropagation")
    assert [p["Properties"]["TransitGatewayAttachmentId"] for p in propagations.values()] == [
        attachment
    ]
    # Each site's VpnConcentratorId is the hub stack's output of the concentrator's GetAtt,
    # read across stacks (Fn::GetStackOutput under the recommended flags, else Fn::ImportValue).
    outputs = hub_template.get("Outputs", {})
    exports = {o["Export"]["Name"]: o["Value"] for o in outputs.values() if "Export" in o}
    vpns = [
        vpn
        for template in site_templates
        for vpn in resources_of_type(template, "AWS::EC2::VPNConnection").values()
    ]
    assert len(vpns) == SITES
    for vpn in vpns:
        reference = vpn["Properties"]["VpnConcentratorId"]
        if "Fn::GetStackOutput" in reference:
            value = outputs[reference["Fn::GetStackOutput"]["OutputName"]]["Value"]
        else:
            value = exports[reference["Fn::ImportValue"]]
        assert value == {"Fn::GetAtt": [concentrator_id, "VpnConcentratorId"]}
        assert "TransitGatewayId" not in vpn["Properties"]
    # No attachment lookup: each site's facts (for its tunnel alarms) name no Transit Gateway.
    facts = [
        resource
        for template in (hub_template, *site_templates)
        for resource in resources_of_type(template, "Custom::SiteToSiteVpnFacts").values()
    ]
    assert len(facts) == SITES
    assert not [f for f in facts if "TransitGatewayId" in f["Properties"]]


def test_static_routing_on_a_concentrator_site_is_refused_clearly() -> None:
    stack = new_stack()
    hub = s2s.TransitGatewayHub(stack, "Hub", route_table_names=["onprem"])
    concentrator = s2s.VpnConcentrator(stack, "Branches", transit_gateway=hub)
    with pytest.raises(s2s.ValidationError) as caught:
        s2s.SiteToSiteVpn(
            stack,
            "Shop01",
            customer_gateway=s2s.CustomerGatewayProps(ip_address="198.51.100.1"),
            vpn_concentrator=concentrator,
            routing=s2s.Routing.static(["10.1.0.0/24"]),
        )
    assert_reported(
        caught.value, path="TestStack/Shop01", field="routing", value="static", rule="must use BGP"
    )


def test_ipv6_outside_addresses_on_a_vgw_are_refused_clearly() -> None:
    stack = new_stack()
    with pytest.raises(s2s.ValidationError) as caught:
        s2s.SiteToSiteVpn(
            stack,
            "Vpn",
            customer_gateway=s2s.CustomerGatewayProps(ip_address="2001:db8:5::1"),
            vpn_gateway=s2s.ExistingVpnGateway("vgw-0123456789abcdef0"),
            outside_ip_address_type=s2s.OutsideIpAddressType.IPV6,
        )
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="outside_ip_address_type",
        value="Ipv6",
        rule="IPv6 outside addresses are only supported on a Transit Gateway",
    )
