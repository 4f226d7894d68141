"""`ledger actors ...`: who may act in a cycle, and in which role."""

from typing import Annotated, Any

import typer

from cli.context import settings, today
from cli.errors import EXIT_USAGE, fail
from cli.options import CycleOption, EffectiveOption, FormatOption, NoteOption, OutputFormat
from cli.render import fold, to_table
from cli.terminal import echo
from events.i18n import _
from formats.serial import to_csv, to_json
from ledger.postgresql import PostgresEventStore
from ledger.query import Query
from ledger.store import SqlEventStore
from projections import acts, registration
from projections.roles import IDENTITY_TYPES, ROLES, Identity, identity_of

app = typer.Typer(help="Register the actors of a cycle and their roles.", no_args_is_help=True)

COLUMNS = ("actor", "role", "display_name", "seq", "key_id")


def cycle_for_registry(store: SqlEventStore, cycle: str | None) -> str:
    """The cycle named (which may not be opened yet: actors come first), or the only one."""
    if cycle is not None and cycle not in store.streams():
        return cycle
    return acts.resolve_cycle(store, cycle)


def registry(store: SqlEventStore, stream: str) -> Identity:
    return identity_of(store.read(Query(stream=stream, types=IDENTITY_TYPES)))


def report(entries: list[Any]) -> None:
    for entry in entries:
        signed = "  signed" if entry.signature else ""
        where = f"{entry.type} in {entry.stream}"
        echo(
            _("recorded seq {seq} {where}  hash {hash}{signed}").format(
                seq=entry.seq, where=where, hash=entry.hash[:12], signed=signed
            )
        )


@app.command("register")
def register(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The actor's name, as --actor gives it.")],
    role: Annotated[str, typer.Option("--as", help=f"The role: {', '.join(ROLES)}.")],
    display_name: Annotated[
        str | None, typer.Option(help="Who the actor is, e.g. 'Segretario generale (M. Rossi)'.")
    ] = None,
    on: EffectiveOption = None,
    note: NoteOption = None,
    cycle: CycleOption = None,
) -> None:
    """Register an actor in a role (the first: an administrator registering themselves).

    Example: ledger --actor amministratore actors register controllo-gestione --as controller
    """
    if role not in ROLES:
        raise typer.BadParameter(
            _("{role!r} is not a role ({roles})").format(role=role, roles=", ".join(ROLES)),
            param_hint="--as",
        )
    chosen = settings(ctx)
    store = chosen.store()
    try:
        stream = cycle_for_registry(store, cycle)
        report(
            registration.register_actor(
                store,
                stream,
                name,
                role,
                on or today(),
                chosen.acting("administrator"),
                display_name=display_name,
                note=note,
            )
        )
    finally:
        store.close()


@app.command("list")
def list_actors(
    ctx: typer.Context, cycle: CycleOption = None, output: FormatOption = OutputFormat.table
) -> None:
    """The actors of a cycle, their roles and the key each holds.

    Example: ledger actors list --format json
    """
    store = settings(ctx).store()
    try:
        identity = registry(store, acts.resolve_cycle(store, cycle))
        roles = store.db_roles() if isinstance(store, PostgresEventStore) else None
        required = identity.signatures_required_since is not None
    finally:
        store.close()
    rows = []
    for actor in identity.actors.values():
        key = identity.key_in_force(actor.actor)
        rows.append(
            {
                "actor": actor.actor,
                "role": actor.role,
                "display_name": actor.display_name,
                "seq": actor.seq,
                "key_id": key.key_id if key else None,
            }
        )
    if output is OutputFormat.json:
        echo(
            to_json(
                {
                    "open": identity.open,
                    "actors": rows,
                    "identity": _identity_note(roles, required),
                    "db_roles": [{"db_role": r, "actor": a} for r, a in roles or []],
                }
            )
        )
    elif output is OutputFormat.csv:
        echo(to_csv(rows, COLUMNS), nl=False)
    elif not rows:
        echo(_("no actors registered: the cycle is open to any actor in any role"))
    else:
        echo(
            to_table(
                [
                    [r["actor"], r["role"], r["display_name"] or "", r["seq"], r["key_id"] or ""]
                    for r in rows
                ],
                [_("actor"), _("role"), _("name"), _("registered (seq)"), _("key in force")],
            )
        )
    if output is OutputFormat.table:
        echo(fold(_identity_note(roles, required)))


def _identity_note(roles: list[tuple[str, str]] | None, required: bool) -> str:
    """What proves who recorded an act on this ledger (docs/integrity.md, the threat model)."""
    if roles:
        mapped = ", ".join(f"{role} -> {actor}" for role, actor in roles)
        return _(
            "identity: PostgreSQL records the actor of the database role that logged in "
            "({mapped}); no role can write as another"
        ).format(mapped=mapped)
    if roles is not None:
        return _(
            "identity: no database role is mapped to an actor, so any writer can claim any "
            "name (map each person: ledger actors db-role ROLE ACTOR)"
        )
    if required:
        return _(
            "identity: SQLite cannot tell who writes; this cycle requires signed acts, and "
            "each signature proves its actor (ledger verify checks them)"
        )
    return _(
        "identity: on SQLite anyone who can write the file can claim any name; only signed "
        "acts prove who recorded them (ledger keys register, then ledger keys require)"
    )


@app.command("db-role")
def db_role(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="The PostgreSQL role the person logs in as.")],
    actor: Annotated[str, typer.Argument(help="The actor of the ledger it records as.")],
) -> None:
    """PostgreSQL: let a database role write as one actor, and as no one else.

    The database then refuses any row whose actor is not the one mapped to the role that
    logged in (session_user); from the first mapping on, every writer needs one.

    Example: ledger actors db-role mario_rossi controllo-gestione
    """
    store = settings(ctx).store()
    try:
        if not isinstance(store, PostgresEventStore):
            raise fail(
                _(
                    "database roles are PostgreSQL's: on SQLite signatures prove who acts "
                    "(ledger keys require)"
                ),
                EXIT_USAGE,
            )
        store.map_role(role, actor)
    finally:
        store.close()
    echo(_("database role {role} writes as {actor}").format(role=role, actor=repr(actor)))
