"""Cross-site rules, one test per rule, plus the documented way to state a raised quota."""

from __future__ import annotations

from tests.sites.conftest import document, parse, problems_of, site


def test_site_names_must_be_unique() -> None:
    doc = document(site(1), site(2, name="site-0001"))
    assert problems_of(doc) == [
        "sites.yaml: sites[1].name = 'site-0001': is also the name of sites[0]; VPN names must "
        "be unique in a stack (each is a construct id, the Name tag, the log group path and "
        "the metric namespace)"
    ]


def test_customer_gateway_ip_and_asn_must_be_unique() -> None:
    twin = site(2, customer_gateway={"ip_address": "203.0.113.1", "bgp_asn": 65001})
    messages = problems_of(document(site(1), twin))
    assert messages == [
        "sites.yaml: sites[1].customer_gateway = '203.0.113.1 AS65001': has the IP address and "
        "BGP ASN of sites[0] (site-0001); AWS would treat both as one customer gateway. Give one "
        "of them another ASN"
    ]


def test_same_ip_with_another_asn_is_a_second_vpn_from_the_same_device() -> None:
    twin = site(2, customer_gateway={"ip_address": "203.0.113.1", "bgp_asn": 65100})
    assert len(parse(document(site(1), twin)).sites) == 2


def test_pinned_inside_cidrs_are_unique_per_transit_gateway() -> None:
    first = site(1, tunnels=[{"inside_cidr": "169.254.20.0/30"}])
    second = site(2, tunnels=[{}, {"inside_cidr": "169.254.20.0/30"}])
    assert problems_of(document(first, second)) == [
        "sites.yaml: sites[1].tunnels[1].inside_cidr = '169.254.20.0/30': is already used by "
        "sites[0].tunnels[0].inside_cidr; tunnel inside CIDRs must be unique per gateway "
        "(Transit Gateway or Virtual Private Gateway)"
    ]


def test_pinned_inside_cidr_must_not_be_reserved_on_the_hub() -> None:
    doc = document(site(1, tunnels=[{"inside_cidr": "169.254.20.0/30"}]))
    doc["hub"]["transit_gateway"]["reserved_inside_cidrs"] = ["169.254.20.0/30"]
    (message,) = problems_of(doc)
    assert message.startswith(
        "sites.yaml: sites[0].tunnels[0].inside_cidr = '169.254.20.0/30': is already used by "
        "hub.transit_gateway.reserved_inside_cidrs"
    )


def test_customer_asn_must_differ_from_the_hub() -> None:
    doc = document(site(1, customer_gateway={"ip_address": "203.0.113.1", "bgp_asn": 64600}))
    doc["hub"]["transit_gateway"]["amazon_side_asn"] = 64600
    assert problems_of(doc) == [
        "sites.yaml: sites[0].customer_gateway.bgp_asn = 64600: must differ from the Amazon-side "
        "ASN (64600), or BGP never comes up"
    ]


def test_default_quotas_allow_fifty_sites() -> None:
    assert len(parse(document(*[site(n) for n in range(1, 51)])).sites) == 50


def test_quotas_are_errors_naming_the_setting_to_raise() -> None:
    messages = problems_of(document(*[site(n) for n in range(1, 52)]))
    assert messages == [
        "sites.yaml: sites = '51 sites': need 51 customer gateways, over the quota of 50 "
        "(quotas.customer_gateways_per_region). Request an increase in Service Quotas, then "
        "state the new quota as quotas.customer_gateways_per_region",
        "sites.yaml: sites = '51 sites': need 51 VPN connections, over the quota of 50 "
        "(quotas.vpn_connections_per_region). Request an increase in Service Quotas, then state "
        "the new quota as quotas.vpn_connections_per_region",
    ]


def test_a_stated_raised_quota_is_used() -> None:
    sites = [site(n) for n in range(1, 52)]
    quotas = {"customer_gateways_per_region": 60, "vpn_connections_per_region": 60}
    assert parse(document(*sites, quotas=quotas)).quotas.vpn_connections_per_region == 60


def test_attachment_quota_of_the_transit_gateway() -> None:
    quotas = {"attachments_per_transit_gateway": 2}
    (message,) = problems_of(document(quotas=quotas))
    assert "need 3 Transit Gateway attachments, over the quota of 2" in message
    assert "quotas.attachments_per_transit_gateway" in message
