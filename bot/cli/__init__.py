"""The command line (typer), assembled from one module per area."""
