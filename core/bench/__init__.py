"""Speed benchmarks (songloom-cli bench ...). Never bundled with the app."""
