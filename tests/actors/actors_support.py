"""A generated pool and map for the actor and delegation tests."""

from __future__ import annotations

import random

from django.test import Client
from factories import Workshop, issue_token

ACTORS = """id,kind,name,side,track,level,influence,access,decision_maker,gender,region,notes
a,person,Minister Odile,Upstream,1,top,3,3,yes,woman,north,
b,person,Advisor Bruno,Upstream,1.5,top,2,3,no,man,north,
c,organisation,Valley Farmers Union,Downstream,4,grassroots,1,0,no,,south,
d,person,Imam Karim,Downstream,7,middle,2,1,no,man,south,
"""
TIES = """from,to,kind,note
b,a,channel,advises the minister
c,b,tie,
d,c,tension,over the dam
"""


def generated_pool(size: int, seed: int, *, canary: str = "") -> str:
    """A pool CSV: sides of the workshop, gender, region, level; about 1 in 4 share a household;
    every fifth candidate declines to be considered."""
    rng = random.Random(seed)
    lines = ["id,name,side,gender,region,level,household,consent,hardliner,credibility,screening"]
    for i in range(size):
        side = ("Upstream", "Downstream")[i % 2]
        household = f"h{rng.randrange(size // 5)}" if rng.random() < 0.25 else ""
        consent = "no" if i % 5 == 4 else "yes"
        notes = f"{canary} listens well" if canary else "listens well"
        lines.append(
            f"p{i},Person {i},{side},{rng.choice(['woman', 'man'])},"
            f"{rng.choice(['north', 'south'])},{rng.choice(['top', 'middle', 'grassroots'])},"
            f"{household},{consent},{'yes' if i % 7 == 0 else 'no'},{i % 4},{notes}"
        )
    return "\n".join(lines) + "\n"


QUOTAS = """category,value,min,max
side,Upstream,3,3
side,Downstream,3,3
gender,woman,2,4
gender,man,2,4
"""


def client_of(workshop: Workshop, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(workshop.people[persona])
    return client


def api(workshop: Workshop, persona: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(workshop.people[persona])}"}
