"""The edge: settings, composition root, platform adapters, the web console and the CLI."""
