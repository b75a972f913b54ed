"""Command line: ``python -m casemap summary|demo|import|export|user|case|audit|snapshot`` over the same code the pages use.

Exit codes: 0 success (an import with rejected rows included); 2 bad input
(unknown case or province, bad arguments, a file that cannot be read or whose
headers match neither kind, ids already stored) with nothing stored; 1 the
store could not be read or written.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from casemap import exporter, file_import, importer, signin
from casemap.access import LOCAL, Access
from casemap.filters import DEFAULT_CASE, FilterState
from casemap.query import CaseQuery, direct_runner
from casemap.schema import PROVINCE_ADCODES
from casemap.readers import UPLOAD_LIMIT_MB
from casemap.store import (
    CaseNameError,
    DuplicateKeyError,
    ReadOnlyCaseError,
    Store,
    StoreError,
    UnknownLinkEndError,
    case_name_problem,
)
from casemap.store import users

__all__ = ["main", "build_parser", "summary_figures"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_HEADLINE_LABELS = {
    "suspects": "Suspects",
    "arrested": "Arrested",
    "provinces": "Provinces",
    "cities": "Cities",
    "amount_yuan": "Amount involved (yuan)",
    "payments": "Payments",
    "payments_yuan": "Payments total (yuan)",
}


class UsageError(Exception):
    """Bad input from the person at the keyboard: one line, exit 2."""


def run_summary(args: argparse.Namespace) -> int:
    """Print the headline figures of a (province-filtered) case."""
    store = Store()
    if args.case not in store.cases():
        raise UsageError(f"no case named {args.case!r}; stored cases: {', '.join(store.cases())}")
    params = {"case": args.case}
    if args.province is not None:
        params["province"] = args.province
    state, notices = FilterState.from_query(params, known_provinces=set(PROVINCE_ADCODES), known_cities=set())
    if notices or (args.province is not None and not state.provinces):
        shown = ", ".join(n.value for n in notices) or args.province
        raise UsageError(f"unknown province adcode: {shown} (expected a 6-digit provincial code such as 430000)")
    access = _access_of(store, args.as_user)
    figures = summary_figures(store, state, access)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(_format_table(state, figures, access))
    return EXIT_OK


def _access_of(store: Store, identity: str | None) -> Access:
    """What ``summary --as USER`` shows: that user's scope; without ``--as``, everything (local mode)."""
    if identity is None:
        return LOCAL
    user = users.get_user(store.engine, identity)
    if user is None:
        raise UsageError(f"no user {identity!r}; `python -m casemap user list` lists them")
    return signin.access_of(user.identity, user)


def summary_figures(store: Store, state: FilterState, access: Access = LOCAL) -> dict:
    """The headline figures of ``state`` as ``access`` may see them: the Overview page's, by the same query."""
    return CaseQuery.of(direct_runner(store.engine), state, store.data_version(state.case), access).headline()


def _format_table(state: FilterState, figures: dict, access: Access = LOCAL) -> str:
    rows = [("Case", state.case), ("Province", ", ".join(state.provinces) or "all")]
    if not access.local:
        scope = ", ".join(sorted(access.scope.provinces)) if access.scope.limited else "all"
        rows.append(("As", f"{access.user} ({access.role}; provinces: {scope})"))
    for key, label in _HEADLINE_LABELS.items():
        value = figures[key]
        rows.append((label, f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value:>14}" for label, value in rows)


def run_demo(args: argparse.Namespace) -> int:
    """Re-generate the demo case in the store."""
    store = Store()
    version = store.reseed_demo()
    data = store.load(DEFAULT_CASE)
    print(
        f"Re-seeded the {DEFAULT_CASE!r} case: {len(data.suspects)} suspects, "
        f"{len(data.payments)} payments, {len(data.milestones)} milestones (data version {version})."
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """Validate a case file of any size and store its accepted rows; the rejected rows go to a CSV beside it."""
    if args.case is None:
        raise UsageError(f"--case NAME is needed: the {DEFAULT_CASE!r} case is read-only, so name the case to import into")
    store = Store()
    _check_import_case(args.case, store.cases())
    rejects = Path(args.rejects) if args.rejects else None
    if rejects is not None:
        try:
            file_import.check_rejects_target(rejects)
        except OSError as exc:
            raise UsageError(f"cannot write the rejects file {args.rejects}: {exc.strerror or exc}") from None
    path = Path(args.file)
    try:
        report = file_import.import_path(store, path, args.case, kind=args.kind, mode=args.mode, user=_user(),
                                         rejects=rejects)
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    except importer.ImportFileError as exc:
        raise UsageError(f"{args.file}: {exc.message('en')}") from None
    except CaseNameError as exc:
        raise UsageError(f"invalid case name {args.case!r}: {exc.message('en')}") from None
    except UnknownLinkEndError as exc:
        raise UsageError(f"nothing stored: {exc} (import those suspects or accounts first)") from None
    except (DuplicateKeyError, ReadOnlyCaseError) as exc:
        raise UsageError(f"nothing stored: {exc} (--mode replace replaces the stored rows)") from None
    for sheet, error in report.skipped:
        print(f"casemap: skipped sheet {sheet!r}: {error.message('en')}", file=sys.stderr)
    if report.version is not None:
        users.record(store.engine, _user(), "cli", "import", case=args.case, file=path.name, mode=args.mode,
                     version=report.version, accepted=report.accepted, rejected=report.rejected)
        _prepare_reads(store, args.case, report.version)
    rejects_file = str(report.rejects_file) if report.rejects_file else None
    summary = {
        "case": args.case, "kind": "+".join(report.kinds), "rows": report.rows,
        "accepted": report.accepted, "rejected": report.rejected, "rejects_file": rejects_file,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        done = (f"Imported {path.name} ({summary['kind']}) into case {args.case!r}, data version {report.version}"
                if report.version is not None else f"Read {path.name} ({summary['kind']}), nothing stored")
        print(
            f"{done}: {report.rows} rows, {report.accepted} accepted, {report.rejected} rejected"
            + (f"; rejected rows in {rejects_file}" if rejects_file else "")
        )
    return EXIT_OK


def _prepare_reads(store: Store, case: str, version: int) -> None:
    # Build the snapshot the pages read now, so the first visitor after a large import does not wait for it.
    try:
        store.snapshots.build(case, version)
    except StoreError as exc:
        print(f"casemap: stored, but the pages will read the store directly (slower): {exc}", file=sys.stderr)


def _check_import_case(case: str, stored: list[str]) -> None:
    if case == DEFAULT_CASE:
        raise UsageError(f"the {DEFAULT_CASE!r} case is read-only; pass --case NAME to import into another case")
    problem = case_name_problem(case, () if case in stored else stored)  # a stored case takes more rows as it is
    if problem is not None:
        raise UsageError(f"invalid case name {case!r}: {problem.message('en')}")


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return None


def run_export(args: argparse.Namespace) -> int:
    """Write the stored rows of one kind, with their adcodes, as CSV or Excel, a chunk of rows at a time."""
    store = Store()
    if args.case not in store.cases():
        raise UsageError(f"no case named {args.case!r}; stored cases: {', '.join(store.cases())}")
    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx" and args.output is None and sys.stdout.isatty():
        raise UsageError("an Excel workbook is binary and standard output is a terminal: "
                         "add -o FILE.xlsx, or redirect the output to a file")
    try:
        with store.export_rows(args.case, args.kind) as (extras, frames), _export_target(args.output, fmt) as out:
            count = exporter.write_export(out, args.kind, fmt, exporter.extra_keys(extras), frames,
                                          bom=args.output is not None)
    except exporter.ExportTooLarge as exc:
        raise UsageError(f"{exc}; use --format csv") from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.output or 'standard output'}: {exc.strerror or exc}") from None
    users.record(store.engine, _user(), "cli", "export", case=args.case, kind=args.kind, format=fmt, rows=count,
                 output=args.output)
    if args.output is not None:
        print(f"Wrote {count} {args.kind} of case {args.case!r} to {args.output}", file=sys.stderr)
    return EXIT_OK


@contextlib.contextmanager
def _export_target(output: str | None, fmt: str):
    """The binary file an export goes to: FILE (removed again if the export fails), or standard output."""
    if output is None:
        # A workbook is a zip, written with seeks: build it in memory, then send it.
        buffer = io.BytesIO() if fmt == "xlsx" else sys.stdout.buffer
        yield buffer
        if fmt == "xlsx":
            sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
        return
    path = Path(output)
    try:
        with open(path, "wb") as out:
            yield out
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def run_user(args: argparse.Namespace) -> int:
    """Add, list, change or remove the users who may sign in; every change is audited."""
    store = Store()
    store.ensure()
    by = _user()
    try:
        if args.action == "list":
            people = users.list_users(store.engine)
            if args.json:
                print(json.dumps([u.as_dict() for u in people], ensure_ascii=False))
            else:
                for u in people:
                    print(f"{u.identity}\t{u.role}\t{','.join(u.provinces) or 'all provinces'}")
            return EXIT_OK
        if args.action == "add":
            done = users.add_user(store.engine, args.identity, args.role, users.parse_provinces(args.provinces),
                                  by=by, address="cli")
        elif args.action == "set":
            if args.role is None and args.provinces is None and not args.all_provinces:
                raise UsageError("nothing to change: give --role, --provinces or --all-provinces")
            provinces = () if args.all_provinces else (
                None if args.provinces is None else users.parse_provinces(args.provinces))
            done = users.set_user(store.engine, args.identity, role=args.role, provinces=provinces, by=by,
                                  address="cli")
        else:
            users.remove_user(store.engine, args.identity, by=by, address="cli")
            print(f"Removed user {users.normalise_identity(args.identity)}")
            return EXIT_OK
    except users.UserError as exc:
        raise UsageError(str(exc)) from None
    print(f"{'Added' if args.action == 'add' else 'Changed'} user {done.identity}: {done.role}, "
          f"{','.join(done.provinces) or 'all provinces'}")
    return EXIT_OK


def run_case(args: argparse.Namespace) -> int:
    """List the stored cases, or delete one (never the demo case); a deletion is audited."""
    store = Store()
    if args.action == "list":
        found = store.case_summaries()
        if args.json:
            print(json.dumps([c.as_dict() for c in found], ensure_ascii=False))
        else:
            for c in found:
                flag = "\tread-only" if c.read_only else ""
                print(f"{c.name}\t{c.created_at:%Y-%m-%d %H:%M} UTC\tv{c.version}\t{c.suspects} suspects\t"
                      f"{c.payments} payments{flag}")
        return EXIT_OK
    if args.name not in store.cases():
        raise UsageError(f"no case named {args.name!r}; stored cases: {', '.join(store.cases())}")
    try:
        deleted = store.delete_case(args.name, by=_user(), address="cli")
    except ReadOnlyCaseError:
        raise UsageError(f"the demo case {args.name!r} is read-only and cannot be deleted") from None
    print(f"Deleted case {deleted.name}: {deleted.suspects} suspects, {deleted.payments} payments "
          f"(data version {deleted.version}).")
    return EXIT_OK


def _since(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD, or YYYY-MM-DDTHH:MM)") from None


def run_audit(args: argparse.Namespace) -> int:
    """Print the audit log, newest first, optionally one user's, one action's, or since a date (UTC)."""
    store = Store()
    store.ensure()
    entries = users.read_audit(store.engine, identity=args.user, action=args.action, since=args.since,
                               limit=args.limit)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False))
        return EXIT_OK
    for e in entries:
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True)
        print(f"{e.at.isoformat(timespec='seconds')}\t{e.identity or '-'}\t{e.address or '-'}\t{e.action}\t{detail}")
    return EXIT_OK


def run_snapshot(args: argparse.Namespace) -> int:
    """List the frozen briefing snapshots, or delete one by its id."""
    store = Store()
    if args.action == "delete":
        if args.id is None:
            raise UsageError("snapshot delete needs the snapshot's ID (see: python -m casemap snapshot list)")
        if not store.delete_frozen(args.id):
            raise UsageError(f"no snapshot {args.id} is stored")
        print(f"Deleted snapshot {args.id}.")
        return EXIT_OK
    if args.case is not None and args.case not in store.cases():
        raise UsageError(f"no case {args.case!r} is stored")
    snapshots = store.frozen_snapshots(args.case)
    if args.json:
        print(json.dumps([{"id": s.id, "name": s.name, "case": s.case, "data_version": s.data_version,
                           "taken_at": s.taken_at.isoformat(), "query": s.query, "user": s.user}
                          for s in snapshots], ensure_ascii=False))
    else:
        for s in snapshots:
            print(f"{s.id:>6}  {s.taken_at:%Y-%m-%d %H:%M} UTC  v{s.data_version:<6} {s.case}  {s.name}")
    return EXIT_OK


# Subcommand name -> (help, add-arguments function, runner).
def _summary_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", default=DEFAULT_CASE, help="case name (default: %(default)s)")
    parser.add_argument("--province", metavar="ADCODE", help="only this province, e.g. 430000 for Hunan")
    parser.add_argument("--as", dest="as_user", metavar="USER",
                        help="the figures as this user sees them (their provinces only); default: everything")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a CSV (UTF-8 or GB18030) or .xlsx case file")
    parser.add_argument(
        "--case", metavar="NAME", help="case to import into, created if new (needed: the demo case is read-only)"
    )
    parser.add_argument("--kind", choices=importer.KINDS, help="force the kind (default: told by the headers)")
    parser.add_argument(
        "--mode", choices=("append", "replace"), default="append",
        help="append to the stored rows (default) or replace the stored rows of the kinds imported",
    )
    parser.add_argument(
        "--rejects", metavar="FILE",
        help="write the rejected rows to FILE (default: NAME.rejects.csv beside the file, or the temp folder)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", default=DEFAULT_CASE, help="case name (default: %(default)s)")
    parser.add_argument("--kind", choices=importer.KINDS, required=True, help="which rows to export")
    parser.add_argument("--format", choices=exporter.FORMATS, help="csv (default) or xlsx; -o FILE.xlsx implies xlsx")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def _user_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user who may sign in")
    add.add_argument("identity", metavar="IDENTITY", help="the e-mail address (or subject) the sign-in gives")
    add.add_argument("--role", required=True, choices=users.ROLES, help="viewer, analyst or admin")
    add.add_argument("--provinces", metavar="ADCODES", help="only these provinces, e.g. 430000,450000 (default: all)")
    listing = actions.add_parser("list", help="list the users")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    change = actions.add_parser("set", help="change a user's role or provinces")
    change.add_argument("identity", metavar="IDENTITY")
    change.add_argument("--role", choices=users.ROLES)
    scope = change.add_mutually_exclusive_group()
    scope.add_argument("--provinces", metavar="ADCODES", help="only these provinces, e.g. 430000,450000")
    scope.add_argument("--all-provinces", action="store_true", help="every province")
    remove = actions.add_parser("remove", help="remove a user")
    remove.add_argument("identity", metavar="IDENTITY")


def _case_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list the stored cases with their data version and row counts")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    delete = actions.add_parser("delete", help="delete a case, its rows, history and briefing snapshots")
    delete.add_argument("name", metavar="NAME", help="the case to delete (not the demo case)")


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="IDENTITY", help="only this user's entries")
    parser.add_argument("--action", choices=users.ACTIONS, help="only this action")
    parser.add_argument("--since", metavar="DATE", type=_since, help="only entries at or after DATE (UTC)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the N newest entries")
    parser.add_argument("--json", action="store_true", help="print one JSON array")


def _snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "delete"), help="list the snapshots, or delete one")
    parser.add_argument("id", nargs="?", type=int, metavar="ID", help="the snapshot to delete")
    parser.add_argument("--case", help="only this case's snapshots (list)")
    parser.add_argument("--json", action="store_true", help="print one JSON array (list)")


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {
    "summary": ("print the headline figures of a case", _summary_arguments, run_summary),
    "demo": ("re-seed the demo case", lambda parser: None, run_demo),
    "import": (
        f"validate a case file of any size and store its accepted rows (the Data page's {UPLOAD_LIMIT_MB} MB "
        "upload limit does not apply)", _import_arguments, run_import,
    ),
    "export": ("write a case's stored rows as CSV or Excel", _export_arguments, run_export),
    "user": ("add, list, change or remove the users who may sign in (add the first admin here)", _user_arguments,
             run_user),
    "case": ("list the stored cases, or delete one (audited)", _case_arguments, run_case),
    "audit": ("print the audit log, newest first", _audit_arguments, run_audit),
    "snapshot": ("list or delete the frozen briefing snapshots", _snapshot_arguments, run_snapshot),
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="python -m casemap",
        description="Casemap case data. The store is CASEMAP_DATABASE_URL, else data/casemap.sqlite.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, runner) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        add_arguments(sub)
        sub.set_defaults(run=runner)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"casemap: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, SQLAlchemyError) as exc:
        print(f"casemap: store error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
