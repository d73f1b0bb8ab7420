"""The replacement guard: what a deployment would replace, delete or restart, without CDK.

``compare(baseline, current, allow=..., strict=...)`` over stacks read by ``read_stacks(DIR)`` (a
cdk.out with its nested stacks and stage assemblies, or a folder of ``*.template.json``) or fetched
by ``deployed_stacks(...)``, after resolving what the templates decide (conditions, parameters,
intrinsic functions: :mod:`site_to_site_vpn.guard.resolve`); the create-only table comes from the
registry schemas of every resource type (package data). ``s2svpn guard`` is the command-line face
of this.
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
