"""Dock panels and dialogs: thin widgets that show state and emit requests."""
