"""`playground bench [--quick] [--json FILE]`: measure, print the table."""

from __future__ import annotations

import sys


def run_bench(args) -> int:
    from playground.bench.run import headless_table, run, run_headless, table, write_json

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.headless:
        results = run_headless(args.quick, log)
        print(headless_table(results))
    else:
        results = run(args.quick, log)
        print(table(results))
    if args.json:
        write_json(results, args.json)
        print(f"Wrote {args.json}")
    return 0
