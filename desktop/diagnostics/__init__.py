"""Diagnostics: self-test, stall bench, heartbeat, screenshots and the desktop CLI commands."""
