"""Small widgets shared by the panels and the piano roll (no app logic)."""
