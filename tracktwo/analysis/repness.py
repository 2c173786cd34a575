"""What each group stands for: Pol.is's representative statements (repness).

For group g and statement c, over the group's clustered (in-conv) members: n_a agrees, n_d
disagrees, n_s all votes (passes included); "rest" sums the other groups.

- p_a = (n_a + 1) / (n_s + 2), p_d likewise;
- pat = 2 sqrt(n_s + 1) ((n_a + 1) / (n_s + 1) - 1/2), a one-proportion test;
- r_a = p_a / ((rest n_a + 1) / (rest n_s + 2));
- rat = two-proportion z-test of the group against the rest, 1 added to each of the four
  counts, 0 when the pooled proportion is 1;
- a statement qualifies when (rat and pat) or (rdt and pdt) exceed 1.2816 (90%, one-sided);
  its direction is agree if rat > rdt. Ranked by r * r_test * p * p_test (with r_test rounded
  to single precision, as Pol.is publishes it); the group's best "agree" statement (Pol.is's
  ``beats-best-agr?``) goes first; top 5; agrees before disagrees. When nothing qualifies the
  best-agree statement, or else the best by test, is kept alone.

Moderated-out and meta statements are never representative. Counts are built with
``np.bincount`` over the vote cells (one pass, no participants x statements array).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.matrix import CHUNK, Cells, chunked_bincount, vote_codes
from tracktwo.analysis.result import Direction, RepnessEntry

Z_90 = 1.2816
TOP = 5


def vote_tallies(
    cells: Cells,
    labels: NDArray[np.int64],
    n_labels: int,
    n_statements: int,
    codes: NDArray[np.int32] | None = None,
) -> NDArray[np.int64]:
    """Agree, disagree and pass counts per label and statement.

    Parameters
    ----------
    cells : (participant, statement, vote)
    labels : ndarray of int64, shape (n_participants,)
        A label per participant (e.g. group id); -1 leaves the participant out.
    n_labels, n_statements : int
    codes : ndarray of int64, shape (n_cells,), optional
        ``Geometry.codes`` (3 * statement + vote code), to skip recomputing them.

    Returns
    -------
    ndarray of int64, shape (n_labels, n_statements, 3)
    """
    participant, statement, vote = cells
    if codes is None:
        codes = vote_codes(statement, vote)
    block = 3 * n_statements
    # each participant's block offset; those left out go to one extra block, dropped below
    offset = np.where(labels >= 0, labels, n_labels).astype(np.int64) * block
    counts = np.zeros((n_labels + 1) * block, np.int64)
    for start in range(0, codes.shape[0], CHUNK):
        slot = offset[participant[start : start + CHUNK]]
        slot += codes[start : start + CHUNK]
        counts += np.bincount(slot, minlength=counts.shape[0])
    return counts[: n_labels * block].reshape(n_labels, n_statements, 3)


def overall_tallies(cells: Cells, n_statements: int) -> NDArray[np.int64]:
    """Agree, disagree and pass counts per statement over everyone, shape (n_statements, 3)."""
    _participant, statement, vote = cells
    counts = chunked_bincount(vote_codes(statement, vote), n_statements * 3)
    return counts.reshape(n_statements, 3)


def prop_test(successes: NDArray[np.float64], n: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pol.is's one-proportion test: 2 sqrt(n + 1) ((s + 1) / (n + 1) - 1/2)."""
    return np.asarray(2.0 * np.sqrt(n + 1.0) * ((successes + 1.0) / (n + 1.0) - 0.5))


def two_prop_test(
    succ_in: NDArray[np.float64],
    succ_out: NDArray[np.float64],
    n_in: NDArray[np.float64],
    n_out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Pol.is's two-proportion z-test, 1 added to each count; 0 when the pooled p is 1."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.asarray(np.where(pooled == 1.0, 0.0, z))


@dataclass(frozen=True, eq=False)
class RepnessStats:
    """Every repness statistic, each of shape (n_groups, n_statements)."""

    na: NDArray[np.float64]
    nd: NDArray[np.float64]
    ns: NDArray[np.float64]
    pa: NDArray[np.float64]
    pd: NDArray[np.float64]
    pat: NDArray[np.float64]
    pdt: NDArray[np.float64]
    ra: NDArray[np.float64]
    rd: NDArray[np.float64]
    rat: NDArray[np.float64]
    rdt: NDArray[np.float64]


def repness_stats(tallies: NDArray[np.int64]) -> RepnessStats:
    """Pol.is's comment stats and comparative stats from ``vote_tallies`` (G, n_s, 3)."""
    counts = tallies.astype(np.float64)
    na, nd = counts[:, :, 0], counts[:, :, 1]
    ns = counts.sum(axis=2)
    rest_a, rest_d, rest_s = na.sum(axis=0) - na, nd.sum(axis=0) - nd, ns.sum(axis=0) - ns
    pa = (na + 1.0) / (ns + 2.0)
    pd = (nd + 1.0) / (ns + 2.0)
    return RepnessStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((rest_a + 1.0) / (rest_s + 2.0)),
        rd=pd / ((rest_d + 1.0) / (rest_s + 2.0)),
        rat=two_prop_test(na, rest_a, ns, rest_s),
        rdt=two_prop_test(nd, rest_d, ns, rest_s),
    )


def _entry(stats: RepnessStats, g: int, c: int, best_agree: bool = False) -> RepnessEntry:
    agree = bool(stats.rat[g, c] > stats.rdt[g, c])
    direction: Direction = "agree" if agree else "disagree"
    na, nd, ns = int(stats.na[g, c]), int(stats.nd[g, c]), int(stats.ns[g, c])
    return RepnessEntry(
        statement=c,
        direction=direction,
        p=float(stats.pa[g, c] if agree else stats.pd[g, c]),
        p_test=float(stats.pat[g, c] if agree else stats.pdt[g, c]),
        r=float(stats.ra[g, c] if agree else stats.rd[g, c]),
        r_test=float(stats.rat[g, c] if agree else stats.rdt[g, c]),
        n_agree=na,
        n_disagree=nd,
        n_pass=ns - na - nd,
        n=ns,
        best_agree=best_agree,
    )


def _metric(entry: RepnessEntry) -> float:
    return entry.r * float(np.float32(entry.r_test)) * entry.p * entry.p_test


def select_group(
    stats: RepnessStats, g: int, candidates: NDArray[np.int64]
) -> tuple[RepnessEntry, ...]:
    """Pol.is's ``select-rep-comments`` for one group, over ``candidates`` in column order.

    Pol.is scans the statements once, keeping the best "agree" statement so far
    (``beats-best-agr?``) and, while none qualifies, the best by test; each of those scans is a
    chain of records, found here a vectorised step at a time.
    """
    c = candidates
    if c.shape[0] == 0:
        return ()
    na, nd = stats.na[g, c], stats.nd[g, c]
    pa, pat, ra, rat = stats.pa[g, c], stats.pat[g, c], stats.ra[g, c], stats.rat[g, c]
    pdt, rdt = stats.pdt[g, c], stats.rdt[g, c]
    sufficient = ((rat > Z_90) & (pat > Z_90)) | ((rdt > Z_90) & (pdt > Z_90))
    voted = (na != 0) | (nd != 0)
    best_agree: int | None = None
    opening = np.flatnonzero(voted & ((pat > Z_90) | ((ra > 1.0) & (pa > 0.5))))
    if opening.shape[0]:
        full, plain = ra * rat * pa * pat, pa * pat
        at = int(opening[0])
        while True:  # the next statement that beats the best so far, by the best's rule
            value = full if ra[at] > 1.0 else plain
            later = np.flatnonzero(voted[at + 1 :] & (value[at + 1 :] > value[at]))
            if later.shape[0] == 0:
                break
            at = at + 1 + int(later[0])
        best_agree = at
    head: list[RepnessEntry] = []
    if best_agree is not None:
        head = [_entry(stats, g, int(c[best_agree]), best_agree=True)]
    elif not sufficient.any():
        # the best by test, kept as Pol.is publishes it: single precision
        test = np.where(rat > rdt, rat, rdt).astype(np.float32).astype(np.float64)
        raw = np.maximum(rat, rdt)
        at = 0
        while True:
            later = np.flatnonzero(raw[at + 1 :] > test[at])
            if later.shape[0] == 0:
                break
            at = at + 1 + int(later[0])
        head = [_entry(stats, g, int(c[at]))]
    if not sufficient.any():
        return tuple(head)
    chosen_at = np.flatnonzero(sufficient)
    if best_agree is not None:
        chosen_at = chosen_at[chosen_at != best_agree]
    agree = rat[chosen_at] > rdt[chosen_at]
    metric = (
        np.where(agree, ra[chosen_at], stats.rd[g, c[chosen_at]])
        * np.where(agree, rat[chosen_at], rdt[chosen_at]).astype(np.float32).astype(np.float64)
        * np.where(agree, pa[chosen_at], stats.pd[g, c[chosen_at]])
        * np.where(agree, pat[chosen_at], pdt[chosen_at])
    )
    ranked = chosen_at[np.argsort(-metric, kind="stable")][: TOP - len(head)]
    rest = [_entry(stats, g, int(c[i])) for i in ranked.tolist()]
    chosen = ((head if best_agree is not None else []) + rest)[:TOP]
    return tuple(
        [e for e in chosen if e.direction == "agree"]
        + [e for e in chosen if e.direction == "disagree"]
    )


def select_repness(
    tallies: NDArray[np.int64], candidates: NDArray[np.int64]
) -> tuple[tuple[RepnessEntry, ...], ...]:
    """Representative statements of every group.

    Parameters
    ----------
    tallies : ndarray of int64, shape (n_groups, n_statements, 3)
        Over in-conv members of each group.
    candidates : ndarray of int64
        Statement indices that may be representative (geometry, not moderated out, not meta),
        in Pol.is's column order.
    """
    if tallies.shape[0] == 0:
        return ()
    stats = repness_stats(tallies)
    return tuple(select_group(stats, g, candidates) for g in range(tallies.shape[0]))
