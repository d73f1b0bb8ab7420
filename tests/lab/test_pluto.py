"""The lab's pluto config cut: one conn, without ipsec-interface, everything else as rendered."""

from __future__ import annotations

import pytest

from lab.pluto import one_conn_without_xfrm_interface
from site_to_site_vpn.customer_side.libreswan import render_libreswan
from tests.support import fixture_template, make_facts


@pytest.mark.slow
def test_one_conn_keeps_everything_but_the_xfrm_interface() -> None:
    props = fixture_template()["Resources"]["VpnConnection"]["Properties"]
    text = render_libreswan(vpn_properties=props, customer_asn=65010, facts=make_facts()).files[
        "ipsec.conf"
    ]
    cut = one_conn_without_xfrm_interface(text, "aws-tunnel-2")
    assert "conn aws-tunnel-2" in cut
    assert "conn aws-tunnel-1" not in cut
    assert "192.0.2.10" not in cut  # tunnel 1's peer went with its conn
    assert "ipsec-interface=" not in cut
    assert "config setup" in cut
    block = text[text.index("conn aws-tunnel-2") :].splitlines()
    kept = [line for line in block if "ipsec-interface=" not in line]
    assert cut.rstrip("\n").endswith("\n".join(kept).rstrip("\n"))
