"""Time and peak memory of importing a large case through the command line (figures, never pass/fail).

Generates (or reuses) the case of bench/large_case.py, then imports its
suspects and then its payments with ``python -m casemap import`` into a fresh
SQLite file and, with ``--postgres URL``, into PostgreSQL. Each import runs in
its own process; its peak memory is that process's maximum resident set.

    python bench/import_scale.py [--suspects 100000] [--payments 1000000] [--runs 1]
                                 [--files DIR] [--postgres postgresql+psycopg://...]

Targets of issue 9: the 1M payments from one ~70 MB file in <= 60 s, memory well under 1 GB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "bench-import-scale"
DEFAULT_SEED = 7  # bench/large_case.py's
# This process imports neither pandas nor casemap: a child's peak memory
# counts the memory of the process that started it, so that must stay small.
_DELETE_CASE = (
    "import sys\n"
    "from casemap.store import Store, UnknownCaseError\n"
    "with Store(sys.argv[1]) as store:\n"
    "    try:\n"
    "        store.delete_case(sys.argv[2])\n"
    "    except UnknownCaseError:\n"
    "        pass\n"
)


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _env(url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if url:
        env["CASEMAP_DATABASE_URL"] = url
    return env


def case_files(folder: Path, suspects: int, payments: int, seed: int) -> tuple[Path, Path]:
    """The generated files in ``folder``, written first (by bench/large_case.py) unless they are there already."""
    paths = folder / "suspects.csv", folder / "payments.csv"
    marker = folder / f"case-{suspects}-{payments}-{seed}"
    if not (marker.exists() and all(p.exists() for p in paths)):
        command = [str(ROOT / "bench" / "large_case.py"), "--suspects", str(suspects), "--payments", str(payments),
                   "--out", str(folder), "--seed", str(seed)]
        subprocess.run(_python(*command), check=True, env=_env(), stdout=subprocess.DEVNULL)
        marker.touch()
    return paths


def timed_import(url: str, path: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of one ``python -m casemap import`` of ``path``."""
    command = _python("-m", "casemap", "import", str(path), "--case", CASE, "--json")
    started = time.perf_counter()
    child = subprocess.Popen(command, env=_env(url), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"import of {path.name} failed: {child.stderr.read().decode().strip()}")
    return seconds, usage.ru_maxrss / 1024  # KB on Linux


def fresh_case(url: str) -> None:
    """Remove the bench case from the store, so the next imports append to nothing."""
    subprocess.run(_python("-c", _DELETE_CASE, url, CASE), check=True, env=_env(), cwd=ROOT)


def measure(label: str, url: str, files: tuple[Path, Path], runs: int) -> list[tuple]:
    """Median time and peak memory of each file's import on one backend."""
    figures = {path.name: [] for path in files}
    for _ in range(runs):
        fresh_case(url)
        for path in files:
            figures[path.name].append(timed_import(url, path))
    return [
        (label, name, statistics.median(s for s, _ in runs_), max(m for _, m in runs_))
        for name, runs_ in figures.items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Generate the case, import it on each backend, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suspects", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--runs", type=int, default=1, help="imports per backend; the median time is printed")
    parser.add_argument("--files", type=Path, help="folder for the generated files (kept and reused)")
    parser.add_argument("--postgres", metavar="URL", help="also import into this PostgreSQL database")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="casemap-bench-") as scratch:
        folder = args.files or Path(scratch) / "files"
        folder.mkdir(parents=True, exist_ok=True)
        files = case_files(folder, args.suspects, args.payments, args.seed)
        sizes = {path.name: path.stat().st_size / 2**20 for path in files}
        rows = measure("SQLite", f"sqlite:///{Path(scratch) / 'bench.sqlite'}", files, args.runs)
        if args.postgres:
            rows += measure("PostgreSQL", args.postgres, files, args.runs)
            fresh_case(args.postgres)
    print(f"{'store':<11} {'file':<13} {'MB':>6} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'peak MB':>8}")
    counts = {"suspects.csv": args.suspects, "payments.csv": args.payments}
    for label, name, seconds, peak in rows:
        print(f"{label:<11} {name:<13} {sizes[name]:>6.1f} {counts[name]:>9,} {seconds:>8.1f} "
              f"{counts[name] / seconds:>9,.0f} {peak:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
