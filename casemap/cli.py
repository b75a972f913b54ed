"""Command line: ``python -m casemap summary|demo|import|export`` over the same code the pages use.

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
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from casemap import exporter, file_import, importer
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

__all__ = ["main", "build_parser"]

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
    figures = CaseQuery.of(direct_runner(store.engine), state, store.data_version(state.case)).headline()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(_format_table(state, figures))
    return EXIT_OK


def _format_table(state: FilterState, figures: dict) -> str:
    rows = [("Case", state.case), ("Province", ", ".join(state.provinces) or "all")]
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


# Subcommand name -> (help, add-arguments function, runner).
def _summary_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", default=DEFAULT_CASE, help="case name (default: %(default)s)")
    parser.add_argument("--province", metavar="ADCODE", help="only this province, e.g. 430000 for Hunan")
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


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {
    "summary": ("print the headline figures of a case", _summary_arguments, run_summary),
    "demo": ("re-seed the demo case", lambda parser: None, run_demo),
    "import": (
        f"validate a case file of any size and store its accepted rows (the Data page's {UPLOAD_LIMIT_MB} MB "
        "upload limit does not apply)", _import_arguments, run_import,
    ),
    "export": ("write a case's stored rows as CSV or Excel", _export_arguments, run_export),
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
