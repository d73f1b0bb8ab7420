"""Live strongSwan + FRR interop lab for the rendered customer-gateway config: `python -m lab`.

Needs root and network namespaces; see docs/customer-side.md.
"""
