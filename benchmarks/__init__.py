"""Synth benchmark of the sites-file app against a plain L1 baseline (not a test)."""
