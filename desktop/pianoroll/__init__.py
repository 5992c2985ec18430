"""The piano-roll editor: grid view, keyboard, ruler, velocity lane, edit commands."""
