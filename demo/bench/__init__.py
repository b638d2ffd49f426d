"""The case-list benchmark (``manage.py bench_cases``): the dataset and the measurement.

demo/bench/plan.py — size, reference ids, weighted lotteries, the name pool;
demo/bench/dataset.py — the set-based SQL build, its marker, emptying;
demo/bench/measure.py — timed requests, EXPLAIN, the targets.
"""

from demo.bench.dataset import (
    build_dataset,
    dataset_marker,
    empty_consult_tables,
    is_benchmark_database,
    table_counts,
)
from demo.bench.measure import Report, run_benchmark
from demo.bench.plan import DatasetPlan

__all__ = [
    "DatasetPlan",
    "Report",
    "build_dataset",
    "dataset_marker",
    "empty_consult_tables",
    "is_benchmark_database",
    "run_benchmark",
    "table_counts",
]
