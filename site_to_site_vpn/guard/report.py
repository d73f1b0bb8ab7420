"""The guard's report for people (rich tables) and for machines (JSON)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from site_to_site_vpn.guard.compare import ChangeKind, Finding, GuardReport


def _change_cell(finding: Finding) -> Text:
    label = finding.kind.value.upper()
    if finding.kind is ChangeKind.UPDATE and finding.tunnels:
        label = "RESTART " + " + ".join(f"tunnel {t}" for t in finding.tunnels)
    if finding.unresolved is not None:
        label = f"MAY {label} (unresolved: {finding.unresolved})"
    if finding.blocking:
        return Text(label, style="bold red")
    if finding.allowed:
        return Text(f"{label} (allowed)", style="yellow")
    if finding.warning:
        return Text(f"{label} (warning)", style="yellow")
    return Text(label)


def _resource_cell(finding: Finding) -> Text:
    text = Text(finding.logical_id, style="bold")
    text.append(f"\n{finding.resource_type}")
    for path in finding.paths:
        text.append(f"\n{path}", style="dim")
    return text


def _shown(finding: Finding) -> bool:
    """In the table: what touches VPN traffic. Other resources are counted in one line."""
    return finding.protected or finding.warning


def _count(findings: list[Finding]) -> str:
    counts = Counter(f"{f.kind.value} {f.resource_type}" for f in findings)
    return ", ".join(f"{n} x {what}" for what, n in sorted(counts.items()))


def _table(stack: str, findings: list[Finding]) -> Table:
    table = Table(title=stack, title_justify="left", show_lines=True, expand=True)
    # Logical ids are what --allow takes: never cut them short.
    table.add_column("Resource", ratio=3, overflow="fold")
    table.add_column("Change", ratio=2)
    table.add_column("Why", ratio=3, overflow="fold")
    table.add_column("Consequence", ratio=4)
    for finding in findings:
        table.add_row(
            _resource_cell(finding), _change_cell(finding), finding.reason, finding.consequence
        )
    return table


def _names(findings: tuple[Finding, ...]) -> str:
    return ", ".join(f"{f.stack}/{f.logical_id}" for f in findings)


def summary(report: GuardReport) -> str:
    """One line: blocked, or what passes and why (allowed and unresolved ones counted)."""
    if report.blocked:
        return (
            f"BLOCKED: {len(report.blocked)} replacement(s) or deletion(s) of VPN resources: "
            f"{_names(report.blocked)}. If intended, pass --allow with each logical id or "
            "construct path."
        )
    parts = []
    if report.allowed:
        parts.append(
            f"ALLOWED: {len(report.allowed)} intended replacement(s) or deletion(s) of VPN "
            f"resources (--allow): {_names(report.allowed)}."
        )
    if report.uncertain:
        parts.append(
            f"WARNING: {len(report.uncertain)} VPN resource(s) may be replaced or deleted, "
            f"which the templates cannot decide: {_names(report.uncertain)} (--strict blocks)."
        )
    if parts:
        return " ".join(["PASSED, NOT SAFE BY ITSELF:", *parts])
    return "SAFE: no VPN, customer gateway, VPN concentrator or gateway is replaced or deleted."


def render_text(report: GuardReport, stream: TextIO, *, width: int | None = None) -> None:
    if width is None and not stream.isatty():
        width = 120  # CI logs: wide enough for logical ids, fixed so output is stable
    console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
    console.print(
        f"s2svpn guard: {len(report.stacks)} stack(s) compared; create-only table from "
        f"{report.table_source}"
    )
    for stack in report.stacks:
        # Nested stacks' findings are under the parent's path: "Parent/NestedStackLogicalId".
        nested = {f.stack for f in report.findings if f.stack.startswith(stack + "/")}
        labels = [stack, *sorted(nested)]
        for label in labels:
            findings = [f for f in report.findings if f.stack == label and _shown(f)]
            others = [f for f in report.findings if f.stack == label and not _shown(f)]
            if findings:
                console.print(_table(label, findings))
            elif label == stack and len(labels) == 1:
                console.print(
                    f"[bold]{stack}[/bold]: no VPN resource replaced, deleted or restarted"
                )
            if others:
                console.print(f"{label}: also {_count(others)} (--json lists each)")
    for note in report.notes:
        console.print(f"note: {note}")
    for entry in report.unused_allows:
        console.print(f"[yellow]warning:[/yellow] --allow {entry} matched no replacement")
    style = "bold green"
    if report.blocked:
        style = "bold red"
    elif report.allowed or report.uncertain:
        style = "bold yellow"
    console.print(Text(summary(report), style=style))


def render_json(report: GuardReport, stream: TextIO) -> None:
    json.dump(report.to_json(), stream, indent=2)
    stream.write("\n")
