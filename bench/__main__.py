"""Run the benchmarks: ``python -m bench [NAME ...] [--sizes 1000,10000,100000] [--quick]``, NAME
one of import, analyze, partners, engine, app, cordis, i18n, labs, graphfile, history, present,
sql, significance (default: all). The cordis bench reads 2 × size organisation rows; the
graphfile bench imports a Gephi GEXF of size / 5 nodes and 2 × size edges (20k/200k at 100000).

Prints a table and writes bench/results/<name>.json.
"""

from __future__ import annotations

import argparse

from bench import (
    analysis_bench,
    app_bench,
    cordis_bench,
    engine_bench,
    graphfile_bench,
    history_bench,
    i18n_bench,
    import_bench,
    labs_bench,
    partners_map_bench,
    present_bench,
    significance_bench,
    sql_bench,
)
from bench.common import Row, peak_rss_mb, print_rows, write_json

BENCHES = (
    "import", "analyze", "partners", "engine", "app", "cordis", "i18n", "labs", "graphfile",
    "history", "present", "sql", "significance",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("benches", nargs="*", choices=[*BENCHES, []], help="default: all")
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="actor counts, comma-separated"
    )
    parser.add_argument("--quick", action="store_true", help="only the 1k size (for CI)")
    parser.add_argument(
        "--ties-per-actor",
        type=float,
        default=33.0,
        help="import bench: ties per actor (33 gives ~1M relations at 100k)",
    )
    args = parser.parse_args()
    args.benches = args.benches or list(BENCHES)
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows: list[Row] = []
    for bench in args.benches:
        for n in sizes:
            if bench == "import":
                rows += import_bench.run(n, args.ties_per_actor)
            elif bench == "analyze":
                rows += analysis_bench.run(n)
            elif bench == "partners":
                rows += partners_map_bench.run(n)
            elif bench == "engine":
                rows += engine_bench.run(n)
            elif bench == "app":
                rows += app_bench.run(n)
            elif bench == "cordis":
                rows += cordis_bench.run(2 * n)
            elif bench == "i18n":
                rows += i18n_bench.run(n)
            elif bench == "labs" and n == sizes[0]:  # one room of 60, whatever the sizes
                rows += labs_bench.run(quick=args.quick)
            elif bench == "graphfile":
                rows += graphfile_bench.run(n // 5)
            elif bench == "history":
                rows += history_bench.run_bench(n, args.ties_per_actor)
            elif bench == "present":
                rows += present_bench.run(n)
            elif bench == "sql":
                rows += sql_bench.run(n)
            elif bench == "significance":
                rows += significance_bench.run(n)
    print_rows(rows)
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    print(f"results: {write_json('-'.join(args.benches), rows)}")


if __name__ == "__main__":
    main()
