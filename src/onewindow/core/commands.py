"""Base of onewindow's own management commands: a bad input is one clear line on stderr and exit 2."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options
from django.db import connections

from onewindow.core.errors import DomainError


class UsageError(Exception):
    pass


class _Parser(CommandParser):
    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


class OnewindowCommand(BaseCommand):
    """Turns DomainError, CommandError and argument errors into `onewindow: …` and exit code 2."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser
        return parser

    def add_subparsers(self, parser):
        return parser.add_subparsers(dest="action", required=True, parser_class=_Parser)

    def run_from_argv(self, argv):
        self._called_from_command_line = True
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except (DomainError, CommandError, UsageError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            sys.stderr.write(f"onewindow: {message}\n")
            sys.exit(getattr(exc, "returncode", 2) if isinstance(exc, CommandError) else 2)
        finally:
            connections.close_all()

    def execute(self, *args, **options):
        # Called directly (call_command) the errors propagate as CommandError with returncode 2.
        try:
            return super().execute(*args, **options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
