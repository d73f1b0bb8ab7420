"""``python -m site_to_site_vpn.cli`` = ``s2svpn``."""

from site_to_site_vpn.cli import run

run()
