"""How long ``s2svpn guard``'s comparison takes on large inputs. Not a test (figures only).

``python -m benchmarks.guard_compare`` prints two rows:

- a chain of N renamed logical ids, each resource referring to the next (the worst case for
  matching moves: a resource can be matched only after the one it refers to), default 2,000;
- 50 stacks x 500 resources (customer gateways, VPNs, alarms, a topic to make 500; each VPN
  refers to its customer gateway and Transit Gateway), one create-only change per stack, compared
  in one call.

Each figure is the median of ``--repeat`` runs of :func:`site_to_site_vpn.guard.compare` in this
process (templates built in memory; reading the files is not included).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from site_to_site_vpn.guard import compare, load_table


def rename_chain(n: int, prefix: str) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for i in range(n):
        props: dict[str, Any] = {"IpAddress": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"}
        props["BgpAsn"] = 65000
        if i + 1 < n:
            props["DeviceName"] = {"Fn::GetAtt": [f"{prefix}{i + 1}", "CustomerGatewayId"]}
        resources[f"{prefix}{i}"] = {"Type": "AWS::EC2::CustomerGateway", "Properties": props}
    return {"Resources": resources}


def big_stack(stack: int, resources: int, *, changed: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Tgw": {"Type": "AWS::EC2::TransitGateway", "Properties": {"AmazonSideAsn": 64512}}
    }
    sites = (resources - 1) // 3
    for i in range(sites):
        out[f"Cgw{i}"] = {
            "Type": "AWS::EC2::CustomerGateway",
            "Properties": {"IpAddress": f"198.{stack}.{i // 256}.{i % 256}", "BgpAsn": 65000 + i},
        }
        out[f"Vpn{i}"] = {
            "Type": "AWS::EC2::VPNConnection",
            "Properties": {
                "Type": "ipsec.1",
                "CustomerGatewayId": {"Ref": f"Cgw{i}"},
                "TransitGatewayId": {"Ref": "Tgw"},
                "StaticRoutesOnly": changed and i == 0,
            },
        }
        out[f"Alarm{i}"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmName": {"Fn::Sub": f"${{AWS::StackName}}-vpn-{i}"},
                "Dimensions": [{"Name": "VpnId", "Value": {"Ref": f"Vpn{i}"}}],
            },
        }
    for i in range(resources - len(out)):
        out[f"Topic{i}"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"t{i}"}}
    return {"Resources": out}


def timed(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chain", type=int, default=2000)
    parser.add_argument("--stacks", type=int, default=50)
    parser.add_argument("--resources", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_table()  # the table is read once per process; not part of a comparison

    old, new = {"S": rename_chain(args.chain, "Old")}, {"S": rename_chain(args.chain, "New")}
    report = compare(old, new)
    moves = sum(1 for f in report.findings if f.moved_to)
    seconds = timed(lambda: compare(old, new), args.repeat)
    print(f"rename chain of {args.chain:,} ids: {seconds:.2f} s ({moves:,} moves matched)")

    base = {f"Stack{s}": big_stack(s, args.resources, changed=False) for s in range(args.stacks)}
    current = {f"Stack{s}": big_stack(s, args.resources, changed=True) for s in range(args.stacks)}
    total = sum(len(t["Resources"]) for t in current.values())
    report = compare(base, current)
    seconds = timed(lambda: compare(base, current), args.repeat)
    print(
        f"{args.stacks} stacks x {args.resources} resources ({total:,} resources): "
        f"{seconds:.2f} s ({len(report.blocked)} blocked)"
    )


if __name__ == "__main__":
    main()
