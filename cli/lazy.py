"""The root group of `ledger`, which imports a command's module only when the command runs.

Importing every command module at start (and with them SQLAlchemy, openpyxl, cryptography,
WeasyPrint, the console's web stack) made `ledger --help` take a second and more. The root
group knows each command by name, module and summary (`cli/app.py`'s `COMMANDS`); it lists
them from that table and imports a module the first time one of its commands is asked for.
`commands` (every command, loaded) is still there for whoever walks the whole tree: the docs
test, the catalog's extraction of help texts, shell completion of a group's subcommands.
"""

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer
from typer.main import get_group

from cli.language import LocalizedGroup, localized, localized_one
from cli.output_file import with_output_file
from events.i18n import _


class LazyGroup(LocalizedGroup):
    """A group whose commands come from their modules on first use."""

    lazy: Mapping[str, tuple[str, str]] = {}
    """name -> (module, English summary); a module defines a group `app` or `register(app)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._loaded: dict[str, Any] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, Any]:
        for name in self.lazy:
            self._load(name)
        return self._loaded

    @commands.setter
    def commands(self, value: dict[str, Any]) -> None:
        self._loaded = dict(value)

    def _load(self, name: str) -> Any:
        if name not in self._loaded and name in self.lazy:
            module = importlib.import_module(self.lazy[name][0])
            found: dict[str, Any]
            if isinstance(getattr(module, "app", None), typer.Typer):
                group = get_group(module.app)
                group.name = name
                found = {name: group}
            else:
                holder = typer.Typer(rich_markup_mode=None)
                module.register(holder)
                found = dict(get_group(holder).commands)
            for each, command in found.items():
                if each not in self._loaded:
                    read = with_output_file(each, command, self._ledger_files)
                    self._loaded[each] = localized(read)
        return self._loaded.get(name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*self.lazy, *self._loaded]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self._loaded.get(cmd_name) or self._load(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands with their summaries, without importing a single module."""
        rows = []
        for name in self.list_commands(ctx):
            command = self._loaded.get(name)
            if command is not None:
                if command.hidden:
                    continue
                text = command.get_short_help_str(formatter.width)
            else:
                text = _(self.lazy[name][1])
            rows.append((name, text))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)

    def _ledger_files(self) -> list[Path]:
        """The ledger's files, which no `-o` may write over (from the root's --db)."""
        from cli.context import Settings

        context = getattr(self, "_context", None)
        chosen = context.obj if context is not None else None
        return (chosen if isinstance(chosen, Settings) else Settings()).ledger_files()

    def invoke(self, ctx: Any) -> Any:
        self._context = ctx
        return super().invoke(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        localized_one(self)
        return super(LocalizedGroup, self).main(*args, **kwargs)
