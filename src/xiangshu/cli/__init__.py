"""The command line (Typer + Rich): a thin edge over the actions."""
