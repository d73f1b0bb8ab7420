"""Example apps and the example stack the tests, the lab and the tools build."""
