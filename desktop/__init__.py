"""Songloom's Qt desktop: thin widgets and adapters over core."""
