"""Files: Standard MIDI, karaoke lyrics, .songloom projects, atomic writes, bounded reads."""
