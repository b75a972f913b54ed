"""Print how long the briefing pack takes for the demo case, and how big it is (not pass/fail).

For each language: the median over RUNS of building the six slides, drawing
their charts, printing the PDF and writing the PPTX, and of the whole export
as the page runs it (slides to both files) with the drawing browser already
started, as it is once the briefing page has been opened; then the bytes of
each file. The browser's cold start is printed once on its own. The store is
a fresh SQLite file in a temporary folder; the queries read its DuckDB
snapshot, as the app does.

    python bench/brief_pack.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casemap import briefing  # noqa: E402
from casemap.briefing_pack import make_pack, pack_footer  # noqa: E402
from casemap.chart_images import close_painter, warm_painter  # noqa: E402
from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery, direct_runner  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402
from geo import layers  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'store.sqlite'}")
        store.ensure()
        version = store.data_version("demo")
        engine = Snapshots(store.engine, Path(folder) / "snapshots").engine("demo", version)
        data = CaseQuery.of(direct_runner(engine), FilterState(), version)
        places = layers.load_places()
        briefing.build_slides(data, places, "en", "light")  # first use loads the layers: not the export's cost
        started = time.perf_counter()
        warm_painter()
        print(f"browser cold start: {time.perf_counter() - started:.2f} s")
        for lang in ("en", "zh"):
            steps: dict[str, list[float]] = {"slides": [], "charts": [], "pdf": [], "pptx": [], "export": []}
            for _ in range(runs):
                started = time.perf_counter()
                slides = briefing.build_slides(data, places, lang, "light")
                built = time.perf_counter()
                pack = make_pack(slides, lang, pack_footer("demo", version, data.data_as_of(), lang))
                steps["slides"].append(built - started)
                steps["export"].append(time.perf_counter() - started)
                for step in ("charts", "pdf", "pptx"):
                    steps[step].append(pack.timings[step])
            figures = "  ".join(f"{step} {statistics.median(times):5.2f} s" for step, times in steps.items())
            print(f"{lang}: median of {runs}: {figures}  |  PDF {len(pack.pdf):,} bytes, PPTX {len(pack.pptx):,} bytes")
        close_painter()
        engine.dispose()
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
