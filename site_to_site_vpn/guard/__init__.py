"""The replacement guard: what a deployment would replace, delete or restart, without CDK.

``compare(baseline, current, allow=...)`` over stacks read by ``read_stacks(DIR)`` (a cdk.out or a
folder of ``*.template.json``) or fetched by ``deployed_stacks(...)``; the create-only table comes
from the registry schemas (package data). ``s2svpn guard`` is the command-line face of this.
"""

from site_to_site_vpn.guard.compare import ChangeKind, Finding, GuardReport, compare
from site_to_site_vpn.guard.consequences import PROTECTED_TYPES
from site_to_site_vpn.guard.table import CreateOnlyTable, TypeRule, load_table
from site_to_site_vpn.guard.templates import StackTemplate, TemplateReadError, read_stacks

__all__ = [
    "PROTECTED_TYPES",
    "ChangeKind",
    "CreateOnlyTable",
    "Finding",
    "GuardReport",
    "StackTemplate",
    "TemplateReadError",
    "TypeRule",
    "compare",
    "load_table",
    "read_stacks",
]
