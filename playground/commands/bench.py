"""`playground bench [--quick] [--json FILE]`: measure, print the table."""

from __future__ import annotations

import sys


def run_bench(args) -> int:
    from playground.bench.run import run, table, write_json

    results = run(args.quick, log=lambda text: print(text, file=sys.stderr, flush=True))
    print(table(results))
    if args.json:
        write_json(results, args.json)
        print(f"Wrote {args.json}")
    return 0
