"""The consortium search (issue 16): exact for real consortia, bounded for hostile ones.

    python bench/consortium.py            # 50 partners; hostile webs up to 1000 partners
    python bench/consortium.py --quick    # fewer sizes

Prints, for each case, whether the answer is exact, the size found and the bound, the
time taken, and the time relative to the goal: a real consortium of 50 partners in
well under a second (goal 0.1 s), any input within about a second (goal 1 s: the
search budget stops it and says "could not be decided exactly"). Nothing here is a
test: timings belong to a benchmark.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time

from callwatch.domain.consortium import Candidate, largest


def real(n: int, seed: int) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Partners over 15 countries in corporate groups of 2 to 4 (every two of a group
    dependent), and a public body controlling two partners independent of each other."""
    rng = random.Random(seed)
    cands = [Candidate(f"p{i:03}", f"C{rng.randrange(15)}", rng.random() < 0.8) for i in range(n)]
    dependent: list[tuple[str, str]] = []
    for start in range(0, n - 4, 7):
        group = [c.id for c in cands[start : start + rng.randint(2, 4)]]
        dependent += list(itertools.combinations(group, 2))
    dependent += [(cands[0].id, cands[10].id), (cands[0].id, cands[20].id)]
    return cands, dependent


def hostile(n: int, density: float, seed: int) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """A random web of dependence (no group structure) over 25 countries."""
    rng = random.Random(seed)
    cands = [Candidate(f"p{i:04}", f"C{i % 25}", i % 3 == 0) for i in range(n)]
    dependent = [
        (a.id, b.id) for a, b in itertools.combinations(cands, 2) if rng.random() < density
    ]
    return cands, dependent


def measure(
    label: str, cands: list[Candidate], dependent: list[tuple[str, str]], goal: float
) -> None:
    start = time.perf_counter()
    found = largest(cands, dependent, True)
    took = time.perf_counter() - start
    verdict = "PASS" if took <= goal else "FAIL"
    print(
        f"{label:<38} exact={found.exact!s:<5} size={len(found.members):>3} "
        f"bound={found.bound:>3}  {took * 1000:8.1f} ms  {took / goal:6.3f} of goal  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    args = parser.parse_args()
    for seed in range(3 if args.quick else 10):
        measure(f"real consortium, 50 partners, seed {seed}", *real(50, seed), goal=0.1)
    sizes = [50, 200] if args.quick else [50, 80, 200, 1000]
    for n in sizes:
        for density in (0.05, 0.2, 0.5):
            measure(f"hostile web, {n} partners, density {density}", *hostile(n, density, 7), 1.0)


if __name__ == "__main__":
    main()
