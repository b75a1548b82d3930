"""The command line, `python -m zi_data COMMAND`: main builds the parser from one module per command group
(`*_cli.py`) over the shared parser (command_parser) and scope (command_scope: data directory, office, year).

May import: every wing."""
