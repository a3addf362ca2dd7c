"""python -m bench [SUITE ...] [options] — see bench/__init__.py."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

from bench import SUITES

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"suites to run (default: all of {', '.join(SUITES)})")
    modules = {name: importlib.import_module(path) for name, path in SUITES.items()}
    for module in modules.values():
        module.add_arguments(parser)
    args = parser.parse_args(argv)
    unknown = [name for name in args.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    failed = False
    RESULTS.mkdir(exist_ok=True)
    for name in args.suites or list(SUITES):
        result = modules[name].run(args)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for target in (RESULTS / f"{name}-{stamp}.json", RESULTS / f"{name}-latest.json"):
            target.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        failed = failed or not result.get("targets_met", True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
