"""Marketplace switch cost, in a fresh process: ``python -m bench.switch``.

US first (its language's pipeline and tables built), then for each further marketplace
``Linter(marketplace=X)`` and its first check, against the warm check of the same text after
it: the difference is what the first message on that marketplace costs. Marketplaces whose
language is loaded already (UK, AU after US; MX after ES) and new languages (DE, FR, ES, IT, JP)
are measured in one process, in that order. Prints one JSON object.
"""
from __future__ import annotations

import json
import statistics
import sys
import time

ORDER = ("UK", "AU", "DE", "FR", "ES", "MX", "IT", "JP")


def _warm(linter, text: str, n: int = 7) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        linter.check(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    from bench.generate import LANGUAGE_OF, sample_message

    t0 = time.perf_counter()
    from msglint import Linter
    t_import = time.perf_counter() - t0
    us_text = sample_message("US")
    t0 = time.perf_counter()
    linter = Linter(marketplace="US")
    linter.check(us_text)
    first_us = time.perf_counter() - t0
    out = {"import_s": round(t_import, 4), "first_US_s": round(first_us, 4),
           "warm_US_ms": round(_warm(linter, us_text) * 1000, 3), "marketplaces": {}}
    loaded = {"en"}
    for mp in ORDER:
        text = sample_message(mp)
        lang = LANGUAGE_OF[mp]
        t0 = time.perf_counter()
        other = Linter(marketplace=mp)
        other.check(text)
        first = time.perf_counter() - t0
        warm = _warm(other, text)
        out["marketplaces"][mp] = {"language": lang, "language_loaded_before": lang in loaded,
                                   "first_ms": round(first * 1000, 3), "warm_ms": round(warm * 1000, 3),
                                   "switch_ms": round((first - warm) * 1000, 3)}
        loaded.add(lang)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
