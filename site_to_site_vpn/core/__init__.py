"""The CDK-free core: AWS's rules for ASNs, PSKs, inside CIDRs and tunnel options, and the
``Problem`` / ``ValidationError`` types every layer reports with.

The constructs (CDK side) and the customer side and CLI (no CDK) share these modules; nothing here
imports aws_cdk or jsii, so ``s2svpn`` and ``site_to_site_vpn.customer_side`` start fast.
Values here are literals: the CDK side skips deploy-time tokens before asking a rule
(``site_to_site_vpn.constructs.rules``).
"""

from site_to_site_vpn.core.errors import Problem, ValidationError, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind, ec2_id_problems

__all__ = ["Ec2IdKind", "Problem", "ValidationError", "ec2_id_problems", "raise_if_any"]
