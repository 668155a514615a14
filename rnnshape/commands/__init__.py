"""The work behind each CLI command, one module per command.

Each module's ``run`` takes plain values (the option enums' ``.value``) and returns an
exit code; ``rnnshape/cli.py`` declares the options and calls it. Nothing here imports
the CLI, so the commands can be called from Python without Typer parsing anything.
"""
