"""Command line: ``python -m casemap summary|demo`` over the same code the pages use.

Exit codes: 0 success; 2 bad input (unknown case or province, bad arguments);
1 the store could not be read or written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from casemap.filters import DEFAULT_CASE, FilterState, apply
from casemap.metrics import headline
from casemap.schema import PROVINCE_ADCODES
from casemap.store import Store, StoreError

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
    data = store.load(state.case)
    filtered = apply(state, data.suspects, data.payments)
    figures = headline(filtered.suspects, filtered.payments)
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


# Subcommand name -> (help, add-arguments function, runner). `import` and
# `export` will be added here.
def _summary_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", default=DEFAULT_CASE, help="case name (default: %(default)s)")
    parser.add_argument("--province", metavar="ADCODE", help="only this province, e.g. 430000 for Hunan")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {
    "summary": ("print the headline figures of a case", _summary_arguments, run_summary),
    "demo": ("re-seed the demo case", lambda parser: None, run_demo),
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
