"""minorguard's command line: ``python bot.py --help``."""

from bot.cli.main import create_cli

if __name__ == "__main__":
    create_cli()()
