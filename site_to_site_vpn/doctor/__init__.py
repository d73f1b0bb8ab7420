"""``s2svpn doctor``: after ``cdk deploy``, does traffic flow? (CDK-free; boto3 only.)

"The tunnel is up" is not "traffic flows": the checks follow a packet from the tunnels through
the Transit Gateway (or virtual private gateway) and the VPC's route tables to the security groups
and network ACLs, then read the VPN's logs. One module per check group; each check returns
pass / fail / unknown with what was seen and what to do.
"""

from site_to_site_vpn.doctor.context import ApiUnavailableError, Classifier, DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, Report, Status
from site_to_site_vpn.doctor.runner import CHECKS, VpnNotFoundError, describe_vpn, run_checks

__all__ = [
    "CHECKS",
    "ApiUnavailableError",
    "CheckResult",
    "Classifier",
    "DoctorContext",
    "Report",
    "Status",
    "VpnNotFoundError",
    "describe_vpn",
    "run_checks",
]
