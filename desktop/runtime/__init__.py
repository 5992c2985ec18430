"""Background work: worker threads, the generation jobs they run, warm-up."""
