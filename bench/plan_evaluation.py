"""How the cost of evaluating an indicator splits between its parts.

Ratios against a baseline measured in the same run (the NDRC status alone, no
forecast), never absolute times in tests. Run:

    .venv/bin/python -m bench.plan_evaluation --indicators 200 --repeat 3

Sizes are options so that a quick run stays quick on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from xiangshu.domain.plan.evaluation import evaluate_indicator
from xiangshu.domain.plan.forecast import forecast
from xiangshu.domain.plan.indicators import IndicatorSpec, Point, TargetForm
from xiangshu.domain.plan.status import ndrc_status


def make_series(count: int, years: int, seed: int) -> list[tuple[IndicatorSpec, list[Point]]]:
    rng = random.Random(seed)
    found = []
    for i in range(count):
        form = rng.choice([TargetForm.GROWTH_RATE, TargetForm.LEVEL, TargetForm.PERCENTAGE_POINTS])
        base = rng.uniform(10, 1000)
        spec = IndicatorSpec(str(i), str(i), "", form, 2010, 2010 + years + 3, base, base * 2)
        growth = 2 ** (1 / (years + 3))
        points = [
            Point(2010 + t, base * growth**t * (1 + rng.gauss(0, 0.02)))
            for t in range(1, years + 1)
        ]
        found.append((spec, points))
    return found


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    short = make_series(args.indicators, 4, 1)  # a mid-term evaluation: 4 values
    long = make_series(args.indicators, 9, 2)  # 9 values: the damped trend joins in
    forecast(*long[0])  # warm up (statsmodels is imported on first use)

    baseline = timed(lambda: [ndrc_status(s, p) for s, p in short], args.repeat)
    rows = {
        "status only (baseline)": baseline,
        "full evaluation, 4 values": timed(
            lambda: [evaluate_indicator(s, p, 2014) for s, p in short], args.repeat
        ),
        "full evaluation, 9 values (with damped trend)": timed(
            lambda: [evaluate_indicator(s, p, 2019) for s, p in long], args.repeat
        ),
    }
    print(f"{args.indicators} indicators, median of {args.repeat} runs")
    for name, seconds in rows.items():
        per = seconds / args.indicators * 1000
        print(f"  {name:48} {seconds / baseline:8.1f}× baseline   ({per:.3f} ms per indicator)")


if __name__ == "__main__":
    main()
