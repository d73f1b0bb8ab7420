"""L3 constructs for AWS Site-to-Site VPN, one concern per module."""
