"""cdk-nag 3 rule packs through CDK's Validations API, and reasoned acknowledgements.

Acknowledgements go through aws-cdk-lib's own ``cdk.Validations``, so the constructs record them
without cdk-nag installed; only :func:`apply_compliance_checks` needs the ``compliance`` extra.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from site_to_site_vpn.extras import require_extra


def apply_compliance_checks(app: cdk.App) -> None:
    """Check every stack of ``app`` against AwsSolutions and NIST 800-53 R5 at synth.

    cdk-nag 3 no longer works as an Aspect; findings make ``app.synth()`` fail and are written to
    ``cdk.out/validation-report.json``. cdk_nag is imported here only: the constructs (which
    acknowledge findings) load without it.
    """
    require_extra("apply_compliance_checks", "compliance")
    import cdk_nag  # noqa: PLC0415 - the compliance extra; the constructs never need it

    cdk.Validations.of(app).add_plugins(
        cdk_nag.AwsSolutionsChecks(app), cdk_nag.NIST80053R5Checks(app)
    )


def acknowledge(scope: Construct, rule_id: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding on ``scope`` and its children, with the reason on record."""
    if len(reason.strip()) < 20:
        raise ValueError(f"{scope.node.path}: acknowledging {rule_id} needs a specific reason")
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))
