"""FluidSynth rendering and real-time playback, SoundFont discovery."""
