"""Songloom's domain: songs, files, models, sound and metrics. Never imports Qt."""

__version__ = "0.1.0"
