"""Evaluation scores: pure functions over piano rolls, text and audio."""
