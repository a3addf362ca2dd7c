"""Benchmarks: ``python -m bench`` runs every suite, ``python -m bench suppliers`` one of them.

A suite is a module in this package with ``add_arguments(parser)`` and ``run(args) -> dict``;
register it in ``SUITES``. Results are printed and written to ``bench/results/`` (not in git).
"""

SUITES = {
    "suppliers": "bench.suppliers",
    "monitoring": "bench.monitoring",
    "load": "bench.load",
    "knowledgebase": "bench.knowledgebase",
    "reliability": "bench.reliability",
    "listcpu": "bench.listcpu",
}
