"""CPU per rate-limit hit in Redis (the vote route's per-participant limit), in-process.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/ratelimit_hit_cpu.py

Calls :func:`tracktwo.safety.ratelimit.hit` 2,000 times per round (200 identities, a rate
never reached), five rounds after a warm-up, and prints the CPU microseconds per hit of each
round, lowest first, with the load average. Needs ``REDIS_URL`` (the counters are written
under keys that expire within a minute).
"""

from __future__ import annotations

import os
import time


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracktwo.site.settings"
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL: this measures the rate limit in Redis")
    import django

    django.setup()
    from tracktwo.safety import ratelimit
    from tracktwo.safety.ratelimit import Rate

    rate = Rate(10**9, 60)
    for i in range(300):
        ratelimit.hit("vote", f"bench-{i % 200}", rate)
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for i in range(2000):
            ratelimit.hit("vote", f"bench-{i % 200}", rate)
        rounds.append((time.process_time() - started) / 2000 * 1e6)
    print(
        "CPU us per hit, 5 rounds of 2,000:",
        ", ".join(f"{r:.0f}" for r in sorted(rounds)),
        f"(load average {os.getloadavg()[0]:.1f})",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
