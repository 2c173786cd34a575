"""Common ground across declared sides: what each side can accept, reject, or divides them.

For every statement and party (declared side) we count agree, disagree and pass votes
(the latest vote of each participant) and take the agree share ``agree / n`` among
*all* the side's votes, passes included, with its Wilson interval (90% by default,
``tracktwo.analysis.intervals``). Decisions are taken on the interval's ends, so a
side heard by few voters cannot carry a statement on luck.

Common ground
    Every party cast at least ``min_votes`` votes on the statement, and every party's
    agree-share *lower* bound is at least ``threshold``. Ranked by the weakest side's
    lower bound (its *rank score*), best first; ties by the weakest side's share, then
    statement order. With ``require_every_party=False`` parties with fewer than
    ``min_votes`` votes are skipped instead (at least two must remain).
Shared rejection
    The mirror: the same on the disagree share ``disagree / n``. In JSON the per-party
    ``share``, ``low`` and ``high`` stay the *agree* share's; the disagree counts are there.
Divides
    Among parties with at least ``min_votes`` votes (two or more), the gap between
    sides is the highest lower bound minus the lowest upper bound, on the agree share
    and on the disagree share; the statement's gap is the larger of the two. A gap above
    zero means the most and least supportive sides' intervals do not even overlap.
    Ranked by gap, largest first.

Moderated-out (``moderated == -1``) and meta statements are tallied but never listed.
Per-party counts are computed by sparse products of a party-indicator matrix with the
vote-indicator matrix; nothing of size participants x statements is made dense.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tracktwo.analysis.intervals import DEFAULT_LEVEL, agree_interval
from tracktwo.analysis.parties import Parties, labels_for
from tracktwo.analysis.votes import Id, LatestVotes, Statements, VoteEvents

DEFAULT_THRESHOLD = 0.6
# At 5 unanimous votes the 90% Wilson lower bound is 0.65: the smallest sample that can
# clear the default threshold at all. Fewer votes and a side counts as not heard.
DEFAULT_MIN_VOTES = 5
# A side is "split" (a group "spans sides") when at least this share of its members
# sits outside its largest group (side).
DEFAULT_SPLIT_SHARE = 0.2

T = TypeVar("T", str, Id)


@dataclass(frozen=True, eq=False)
class SidesAndGroups:
    """Declared sides against opinion groups: a contingency table of participants.

    Attributes
    ----------
    parties : tuple of str, length n_parties
    groups : tuple of int or str, length n_groups
    counts : ndarray of int64, shape (n_parties, n_groups)
        Participants of each party in each group.
    ungrouped : ndarray of int64, shape (n_parties,)
        Participants of each party in no group.
    split_share : float
        Share outside the main group (side) from which a side is split (a group spans sides).
    """

    parties: tuple[str, ...]
    groups: tuple[Id, ...]
    counts: NDArray[np.int64]
    ungrouped: NDArray[np.int64]
    split_share: float

    def split_sides(self) -> list[tuple[str, float]]:
        """Sides spread over groups: (party, share of its grouped members outside its main group)."""
        return self._outside(self.counts, self.parties)

    def spanning_groups(self) -> list[tuple[Id, float]]:
        """Groups mixing sides: (group, share of its members outside its main side)."""
        return self._outside(self.counts.T, self.groups)

    def _outside(self, table: NDArray[np.int64], names: tuple[T, ...]) -> list[tuple[T, float]]:
        totals = table.sum(axis=1)
        out = []
        for name, row, total in zip(names, table, totals, strict=True):
            if total > 0:
                share = 1.0 - float(row.max()) / float(total)
                if share >= self.split_share:
                    out.append((name, share))
        return out

    def lines(self) -> list[str]:
        """The table and a plain-language reading of it."""
        width = max(len("side"), *(len(p) for p in self.parties))
        head = "".join(f"{'group ' + str(g):>10}" for g in self.groups)
        lines = [f"  {'side':<{width}}{head}{'no group':>10}"]
        for party, row, none in zip(self.parties, self.counts, self.ungrouped, strict=True):
            cells = "".join(f"{int(c):>10}" for c in row)
            lines.append(f"  {party:<{width}}{cells}{int(none):>10}")
        for party, share in self.split_sides():
            lines.append(
                f"  Side {party} is split: {share:.0%} of its grouped members are "
                "outside its main opinion group."
            )
        for group, share in self.spanning_groups():
            lines.append(
                f"  Opinion group {group} spans sides: {share:.0%} of its members "
                "come from sides other than its main one."
            )
        if not self.split_sides() and not self.spanning_groups():
            lines.append("  Declared sides and opinion groups line up.")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": list(self.groups),
            "counts": {
                party: {str(g): int(c) for g, c in zip(self.groups, row, strict=True)}
                | {"none": int(none)}
                for party, row, none in zip(self.parties, self.counts, self.ungrouped, strict=True)
            },
            "split_sides": [{"party": p, "outside": round(s, 4)} for p, s in self.split_sides()],
            "spanning_groups": [
                {"group": g, "outside": round(s, 4)} for g, s in self.spanning_groups()
            ],
        }


@dataclass(frozen=True, eq=False)
class CrossPartyReport:
    """Per-side support for every statement, and the cross-side lists.

    Attributes
    ----------
    statement_ids : tuple of int or str, length n_statements
    parties : tuple of str, length n_parties
    party_sizes : ndarray of int64, shape (n_parties,)
    agree, disagree, passes, n : ndarray of int64, shape (n_parties, n_statements)
    share, low, high : ndarray of float64, shape (n_parties, n_statements)
        Agree share (NaN where n = 0) and its interval.
    common_ground, shared_rejection, divides : ndarray of int64
        Statement indices, best first.
    common_ground_score, shared_rejection_score, divide_gap : ndarray of float64
        The ranking score of each listed statement (same order).
    sides_and_groups : SidesAndGroups or None
    threshold, level : float
    min_votes : int
    """

    statement_ids: tuple[Id, ...]
    parties: tuple[str, ...]
    party_sizes: NDArray[np.int64]
    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    passes: NDArray[np.int64]
    n: NDArray[np.int64]
    share: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    common_ground: NDArray[np.int64]
    common_ground_score: NDArray[np.float64]
    shared_rejection: NDArray[np.int64]
    shared_rejection_score: NDArray[np.float64]
    divides: NDArray[np.int64]
    divide_gap: NDArray[np.float64]
    sides_and_groups: SidesAndGroups | None
    threshold: float
    min_votes: int
    level: float

    def support(self, statement: int) -> dict[str, dict[str, Any]]:
        """``{party: {agree, disagree, pass, n, share, low, high}}`` for one statement index."""
        out: dict[str, dict[str, Any]] = {}
        for k, party in enumerate(self.parties):
            share = float(self.share[k, statement])
            out[party] = {
                "agree": int(self.agree[k, statement]),
                "disagree": int(self.disagree[k, statement]),
                "pass": int(self.passes[k, statement]),
                "n": int(self.n[k, statement]),
                "share": None if math.isnan(share) else round(share, 4),
                "low": round(float(self.low[k, statement]), 4),
                "high": round(float(self.high[k, statement]), 4),
            }
        return out

    def to_json(self) -> dict[str, Any]:
        """``{"cross_party": {common_ground, shared_rejection, divides, ...}}``.

        Each list holds ``{statement, support: {party: {agree, disagree, pass, n, share,
        low, high}}}`` best first. Also: ``parties`` (participants who voted, per side),
        ``sides_and_groups`` (or null) and ``settings``. Only aggregates: no participant id.
        """

        def listing(indices: NDArray[np.int64]) -> list[dict[str, Any]]:
            return [
                {"statement": self.statement_ids[int(i)], "support": self.support(int(i))}
                for i in indices
            ]

        return {
            "cross_party": {
                "common_ground": listing(self.common_ground),
                "shared_rejection": listing(self.shared_rejection),
                "divides": listing(self.divides),
                "parties": {p: int(s) for p, s in zip(self.parties, self.party_sizes, strict=True)},
                "sides_and_groups": (
                    None if self.sides_and_groups is None else self.sides_and_groups.to_json()
                ),
                "settings": {
                    "threshold": self.threshold,
                    "min_votes": self.min_votes,
                    "level": self.level,
                },
            }
        }


def cross_party(
    votes: VoteEvents | LatestVotes,
    parties: Parties,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_votes: int = DEFAULT_MIN_VOTES,
    level: float = DEFAULT_LEVEL,
    require_every_party: bool = True,
    groups: Mapping[object, object] | NDArray[np.integer] | None = None,
    split_share: float = DEFAULT_SPLIT_SHARE,
) -> CrossPartyReport:
    """Per-side support, common ground, shared rejection and divides.

    Parameters
    ----------
    votes : VoteEvents or LatestVotes
        The latest vote per (participant, statement) counts.
    parties : Parties
        Built for these votes' ``participant_ids`` (``tracktwo.analysis.parties``).
    threshold : float
        Minimum agree (disagree) share, on the interval's lower end, for every side.
    min_votes : int
        Votes a side must cast on a statement to count as heard.
    level : float
        Confidence of the Wilson intervals.
    require_every_party : bool
        True: a side not heard keeps a statement out of common ground and shared
        rejection. False: such sides are skipped (two heard sides still required).
    groups : mapping participant id -> opinion group (or array in their order), optional
        E.g. the engine's groups; adds the sides-vs-groups table.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold {threshold!r} must be strictly between 0 and 1")
    if min_votes < 1:
        raise ValueError(f"min_votes {min_votes!r} must be at least 1")
    latest = votes.latest() if isinstance(votes, VoteEvents) else votes
    events = latest.events
    if parties.member.shape[0] != events.n_participants:
        raise ValueError("parties were built for another vote set (participant count differs)")
    statements = events.statements
    n_statements = len(statements)
    party_of, participant = parties.indicator()
    indicator = sp.csr_matrix(
        (np.ones(party_of.size, np.int64), (party_of, participant)),
        shape=(parties.n_parties, events.n_participants),
    )
    # Column 3s + (vote + 1): 0 disagree, 1 pass, 2 agree for statement s.
    columns = latest.statement * 3 + (latest.vote.astype(np.int64) + 1)
    cast = sp.csr_matrix(
        (np.ones(columns.size, np.int64), (latest.participant, columns)),
        shape=(events.n_participants, 3 * n_statements),
    )
    tally = np.asarray((indicator @ cast).toarray(), dtype=np.int64).reshape(
        parties.n_parties, n_statements, 3
    )
    disagree, passes, agree = tally[..., 0], tally[..., 1], tally[..., 2]
    n = agree + disagree + passes
    low, high = agree_interval(agree, n, level)
    d_low, d_high = agree_interval(disagree, n, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, agree / np.maximum(n, 1), np.nan)
        d_share = np.where(n > 0, disagree / np.maximum(n, 1), np.nan)

    heard = n >= min_votes
    listable = (statements.moderated != -1) & ~statements.is_meta
    if require_every_party:
        judged = np.broadcast_to(heard.all(axis=0), n.shape)
        considered = heard.all(axis=0)
    else:
        judged = heard
        considered = heard.sum(axis=0) >= 2
    considered = considered & listable
    common, common_score = _shared(low, share, judged, considered, threshold)
    reject, reject_score = _shared(d_low, d_share, judged, considered, threshold)

    two_heard = (heard.sum(axis=0) >= 2) & listable
    gap_agree = _gap(low, high, heard)
    gap_disagree = _gap(d_low, d_high, heard)
    gap = np.maximum(gap_agree, gap_disagree)
    divided = np.flatnonzero(two_heard & (gap > 0))
    order = np.lexsort((divided, -gap[divided]))
    divides = divided[order].astype(np.int64)

    table = None
    if groups is not None:
        table = sides_and_groups(parties, groups, events.participant_ids, split_share)
    return CrossPartyReport(
        statement_ids=statements.ids,
        parties=parties.names,
        party_sizes=parties.sizes,
        agree=agree,
        disagree=disagree,
        passes=passes,
        n=n,
        share=share,
        low=low,
        high=high,
        common_ground=common,
        common_ground_score=common_score,
        shared_rejection=reject,
        shared_rejection_score=reject_score,
        divides=divides,
        divide_gap=gap[divides],
        sides_and_groups=table,
        threshold=threshold,
        min_votes=min_votes,
        level=level,
    )


def _shared(
    low: NDArray[np.float64],
    share: NDArray[np.float64],
    judged: NDArray[np.bool_],
    considered: NDArray[np.bool_],
    threshold: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Statements where every judged side's lower bound clears the threshold, best first."""
    weakest = np.where(judged, low, np.inf).min(axis=0)
    weakest_share = np.where(judged, share, np.inf).min(axis=0)
    chosen = np.flatnonzero(considered & (weakest >= threshold))
    order = np.lexsort((chosen, -weakest_share[chosen], -weakest[chosen]))
    picked = chosen[order].astype(np.int64)
    return picked, weakest[picked].astype(np.float64)


def _gap(
    low: NDArray[np.float64], high: NDArray[np.float64], heard: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Highest lower bound minus lowest upper bound among heard sides (-inf if < 2 heard)."""
    top = np.where(heard, low, -np.inf).max(axis=0)
    bottom = np.where(heard, high, np.inf).min(axis=0)
    with np.errstate(invalid="ignore"):
        gap = top - bottom
    return np.where(heard.sum(axis=0) >= 2, gap, -np.inf)


def sides_and_groups(
    parties: Parties,
    groups: Mapping[object, object] | NDArray[np.integer],
    participant_ids: tuple[Id, ...],
    split_share: float = DEFAULT_SPLIT_SHARE,
) -> SidesAndGroups:
    """Contingency table of declared sides against opinion groups (participant -> group)."""
    group_of, labels = labels_for(groups, participant_ids)
    party_of, participant = parties.indicator()
    g = group_of[participant]
    in_group = g >= 0
    counts = np.zeros((parties.n_parties, len(labels)), np.int64)
    np.add.at(counts, (party_of[in_group], g[in_group]), 1)
    ungrouped = np.bincount(party_of[~in_group], minlength=parties.n_parties).astype(np.int64)
    return SidesAndGroups(parties.names, labels, counts, ungrouped, split_share)


def cross_party_summary_lines(
    report: CrossPartyReport, statements: Statements, top: int = 5
) -> list[str]:
    """The cross-side section of ``tracktwo analyze``'s summary: per-side support tables.

    Shows the ``top`` statements of common ground, shared rejection and divides, each
    with every side's agree share and interval (disagree share for shared rejection).
    """
    sizes = ", ".join(
        f"{p} {int(s)}" for p, s in zip(report.parties, report.party_sizes, strict=True)
    )
    pct = f"{report.level:.0%}"
    lines = [
        f"Cross-side analysis ({len(report.parties)} sides; participants who voted: {sizes})",
        f"  shares are among all of a side's votes, passes included; [low-high] is the {pct} "
        "Wilson interval",
    ]
    sections = (
        (
            "Common ground",
            f"agree share >= {report.threshold:.0%} on the lower bound for every side",
            report.common_ground,
            report.common_ground_score,
            "weakest side's lower bound",
            ("agree",),
        ),
        (
            "Shared rejection",
            f"disagree share >= {report.threshold:.0%} on the lower bound for every side",
            report.shared_rejection,
            report.shared_rejection_score,
            "weakest side's lower bound",
            ("disagree",),
        ),
        (
            "Divides",
            "sides' intervals furthest apart",
            report.divides,
            report.divide_gap,
            "gap",
            ("agree", "disagree"),
        ),
    )
    for title, rule, indices, scores, score_name, measures in sections:
        lines.append("")
        lines.append(f"{title} ({rule}): {len(indices)} statements")
        for i, score in zip(indices[:top], scores[:top], strict=False):
            lines.extend(
                _statement_lines(report, statements, int(i), measures, f"{score_name} {score:.2f}")
            )
    if report.sides_and_groups is not None:
        lines.append("")
        lines.append("Declared sides and opinion groups (participants):")
        lines.extend(report.sides_and_groups.lines())
    return lines


def _statement_lines(
    report: CrossPartyReport,
    statements: Statements,
    i: int,
    measures: tuple[str, ...],
    score: str,
) -> list[str]:
    sid = report.statement_ids[i]
    position = statements.index.get(sid)
    text = statements.texts[position] if position is not None else None
    label = f"  [{sid}] " + (" ".join(text.split()) if text else "(no text)")
    lines = [label if len(label) <= 100 else label[:97] + "...", f"      {score}"]
    width = max(len(p) for p in report.parties)
    for k, party in enumerate(report.parties):
        n = int(report.n[k, i])
        cells = []
        for measure in measures:
            count = int((report.disagree if measure == "disagree" else report.agree)[k, i])
            low, high = agree_interval(count, n, report.level)
            share = f"{count / n:4.0%}" if n else "   -"
            cells.append(f"{measure} {share} [{low:.2f}-{high:.2f}]")
        lines.append(f"      {party:<{width}}  " + "  ".join(cells) + f"  n={n}")
    return lines
