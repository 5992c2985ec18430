"""songloom-cli subcommands, one module per area; each exposes ``register(groups)``."""
