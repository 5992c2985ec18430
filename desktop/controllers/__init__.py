"""Controllers: wire panels to the song document, files and generation jobs."""
