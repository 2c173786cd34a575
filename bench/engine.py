"""Engine benchmark: tracktwo against red-dwarf 0.4.0 on synthetic Pol.is exports.

    .venv/bin/python bench/engine.py [--sizes 10k,100k,1M] [--write-docs]

For each size a synthetic conversation (``bench/synthetic.py``: planted groups, heavy-tailed
participation, about 50 votes each) is written as a Pol.is export (``votes.csv``,
``comments.csv``) under ``bench/out/engine/``, then, each in a fresh child process whose wall time
and peak RSS are measured (``bench/_measure.py``):

- tracktwo, whole process: ``tracktwo analyze FOLDER --json`` (CSV in, JSON groups out), median
  of 3 runs, red-dwarf run between the second and the third; beside it a bare multi-threaded
  pyarrow read of the same CSV (the physical-limit proxy) and, at ``--replay-sizes``, the replay;
- red-dwarf 0.4.0, whole process: pandas reads ``votes.csv``, the last vote per cell is kept, and
  red-dwarf's Pol.is pipeline (``reddwarf.implementations.polis.run_pipeline``) runs on it, under
  an address-space limit and a timeout; sizes whose dense matrix cannot fit are skipped, and after
  a timeout larger sizes are not tried;
- the incremental update: a 10k-participant conversation analysed in memory, then
  ``update(result, 1,000 new votes)`` timed, median of several.

Both sides' groups are compared with the planted groups (adjusted Rand index), so a fast wrong
answer shows. ``--write-docs`` puts the table into ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import _measure, synthetic  # noqa: E402

SIZES: dict[str, tuple[int, int]] = {
    "10k": (10_000, 500),
    "100k": (100_000, 2_000),
    "1M": (1_000_000, 5_000),
}
OUT = REPO / "bench" / "out" / "engine"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- bench/engine.py: begin -->", "<!-- bench/engine.py: end -->"
PY = sys.executable
TRACKTWO = str(Path(sys.executable).with_name("tracktwo"))
REDDWARF_PEAK_PER_MATRIX = 7.5  # measured: 12 GB peak for its 1.6 GB float64 matrix at 100k
GOALS = (
    "- at least **100x faster than red-dwarf 0.4.0 at 100k participants x 2,000 statements**, "
    "whole process to whole process, measured side by side (red-dwarf between two tracktwo runs);",
    "- **1M participants x 5,000 statements x ~50M votes in at most 30 s and 3 GB** peak RSS;",
    "- **10k x 500 in at most 1 s**, interpreter start included;",
    "- the faithful replay (`--replay`) at 100k in at most 10x the static run;",
    "- an update with 1,000 new votes on a 10k-participant conversation in at most 0.5 s.",
)


# --- children -------------------------------------------------------------------------------


def child_generate(folder: Path, n_p: int, n_s: int, seed: int) -> None:
    start = time.perf_counter()
    conversation = synthetic.generate(synthetic.Params(n_p, n_s, seed=seed))
    generated = time.perf_counter() - start
    synthetic.write_polis(conversation, folder)
    stamp = {"n": [n_p, n_s], "seed": seed, "votes": len(conversation)}
    (folder / "params.json").write_text(json.dumps(stamp))
    _measure.emit_result(
        {
            "votes": len(conversation),
            "generate_s": generated,
            "total_s": time.perf_counter() - start,
        }
    )


def child_reddwarf(folder: Path, labels_out: Path) -> None:
    """red-dwarf's whole process: CSV in (pandas), last vote per cell, Pol.is pipeline, groups."""
    warnings.filterwarnings("ignore")
    import pandas as pd
    from reddwarf.implementations.polis import run_pipeline

    votes = pd.read_csv(
        folder / "votes.csv", usecols=["timestamp", "comment-id", "voter-id", "vote"]
    )
    comments = pd.read_csv(folder / "comments.csv", usecols=["comment-id", "moderated"])
    votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last"
    )
    records = votes.rename(
        columns={
            "voter-id": "participant_id",
            "comment-id": "statement_id",
            "timestamp": "modified",
        }
    ).to_dict("records")
    del votes
    moderated_out = comments.loc[comments["moderated"] == -1, "comment-id"].tolist()
    result = run_pipeline(votes=records, mod_out_statement_ids=moderated_out, random_state=0)
    labels = result.participants_df["cluster_id"].dropna()
    np.savez(
        labels_out,
        participant=labels.index.to_numpy(np.int64),
        group=labels.to_numpy(np.int64),
    )
    _measure.emit_result({"groups": int(labels.nunique()), "clustered": len(labels)})


def child_update(n_p: int, n_s: int, new_votes: int, repeats: int, seed: int) -> None:
    """Analyse a conversation in memory, then time ``update`` with ``new_votes`` more."""
    from tracktwo.analysis.engine import analyze, update
    from tracktwo.analysis.result import AnalysisParams
    from tracktwo.analysis.votes import from_arrays

    conversation = synthetic.generate(synthetic.Params(n_p, n_s, seed=seed))
    base_events = from_arrays(
        conversation.participant,
        conversation.statement,
        conversation.vote,
        conversation.timestamp_ms / 1000.0,
    )
    params = AnalysisParams(seed=seed)
    start = time.perf_counter()
    result = analyze(base_events, params)
    analyse_s = time.perf_counter() - start
    times, groups = [], []
    for repeat in range(repeats):
        more = synthetic.more_votes(conversation, new_votes, seed=100 + repeat)
        new_events = from_arrays(
            more.participant, more.statement, more.vote, more.timestamp_ms / 1000.0
        )
        start = time.perf_counter()
        updated = update(result, new_events)
        times.append(time.perf_counter() - start)
        groups.append(updated.n_groups)
        if updated.n_votes < result.n_votes:
            raise SystemExit("update lost votes")
    _measure.emit_result(
        {
            "analyse_s": analyse_s,
            "update_s": times,
            "groups_before": result.n_groups,
            "groups_after": groups,
            "votes_before": len(base_events),
        }
    )


PHASES = (
    "latest_cells", "polis_rows", "build_geometry", "in_conv", "_components",
    "project_participants", "project_statements", "id_order", "_base_clusters",
    "_group_clusterings", "vote_tallies", "select_repness", "consensus", "group_aware_consensus",
    "uncertain", "priority", "support", "divisiveness",
)  # fmt: skip


def child_phases(folder: Path) -> None:
    """Where tracktwo's whole process spends time: each engine step timed (not nested)."""
    start = time.perf_counter()
    from tracktwo.analysis import engine, polis_io
    from tracktwo.analysis.json_stream import write_json
    from tracktwo.analysis.result import AnalysisParams

    imports = time.perf_counter() - start
    timer = _measure.Phases()
    for name in PHASES:
        if hasattr(engine, name):
            setattr(engine, name, timer.wrap(name, getattr(engine, name)))
    events = timer.wrap("read_polis", polis_io.read_polis)(folder)
    result = timer.wrap("analyze (all)", engine.analyze)(events, AnalysisParams())
    with open(os.devnull, "wb") as sink:
        timer.wrap("write_json", write_json)(result, sink)
    _measure.emit_result({**timer.report(), "imports_s": imports})


def child_arrow_read(path: Path) -> None:
    """The physical-limit proxy: a bare multi-threaded pyarrow read of the same CSV (the four
    columns tracktwo reads, as numbers), nothing else."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    columns = ["timestamp", "comment-id", "voter-id", "vote"]
    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(block_size=1 << 24),
        convert_options=pcsv.ConvertOptions(
            include_columns=columns,
            column_types={
                "timestamp": pa.int64(),
                "comment-id": pa.int32(),
                "voter-id": pa.int32(),
                "vote": pa.int8(),
            },
        ),
    )
    _measure.emit_result({"rows": table.num_rows})


# --- the parent -----------------------------------------------------------------------------


def conversation_folder(name: str, seed: int) -> tuple[Path, int]:
    """The export for size ``name`` and its number of votes, generated (in a child) if need be."""
    n_p, n_s = SIZES[name]
    folder = OUT / f"{name}-seed{seed}"
    stamp = folder / "params.json"
    if stamp.exists():
        known = json.loads(stamp.read_text())
        if known["n"] == [n_p, n_s] and known["seed"] == seed:
            return folder, int(known["votes"])
    print(f"[{name}] generating {n_p:,} participants x {n_s:,} statements ...", flush=True)
    args = ["--child", "generate", str(folder), str(n_p), str(n_s), str(seed)]
    done = _measure.run([PY, __file__, *args], capture_result=True)
    if not done.ok:
        raise SystemExit(f"generation failed: {done.stderr_tail}")
    print(
        f"[{name}] {done.result['votes']:,} votes generated in {done.result['generate_s']:.1f} s, "
        f"written in {done.wall_s:.1f} s (peak {done.peak_mb:,.0f} MB)",
        flush=True,
    )
    return folder, int(done.result["votes"])


def planted_ari(folder: Path, participant: np.ndarray, group: np.ndarray) -> float:
    from tracktwo.analysis.agreement import adjusted_rand_index

    planted = np.load(folder / "planted.npz")["group"]
    if participant.size < 2:
        return float("nan")
    return float(adjusted_rand_index(planted[participant], group))


def tracktwo_groups(output: Path) -> tuple[np.ndarray, np.ndarray, int]:
    with output.open() as handle:
        result = json.load(handle)
    participant, group = [], []
    for entry in result["groups"]:
        participant.extend(entry["members"])
        group.extend([entry["id"]] * len(entry["members"]))
    return np.asarray(participant, np.int64), np.asarray(group, np.int64), len(result["groups"])


def load() -> float:
    """The 1-minute load average now (the machine is shared: every figure carries it)."""
    return os.getloadavg()[0]


def tracktwo_once(
    name: str, folder: Path, extra: list[str] | None = None, timeout_s: float = 3600
) -> _measure.Measurement:
    output = folder.parent / f"{folder.name}.tracktwo{'-replay' if extra else ''}.json"
    before = load()
    quiet = [] if extra else ["--quiet"]  # a replay reports its batches on stderr
    done = _measure.run(
        [TRACKTWO, "analyze", str(folder), "--json", *quiet, *(extra or [])],
        stdout=output,
        timeout_s=timeout_s,
    )
    after = load()
    what = "tracktwo " + " ".join(extra or [])
    print(
        f"[{name}] {what.strip()} {done.status} {done.wall_s:.1f} s (CPU {done.cpu_s:.1f} s), "
        f"peak {done.peak_mb:,.0f} MB, load {before:.1f} -> {after:.1f}",
        flush=True,
    )
    return _measure.Measurement(
        done.status,
        done.wall_s,
        done.peak_mb,
        done.returncode,
        done.cpu_s,
        done.stderr_tail,
        {"load": [round(before, 1), round(after, 1)]},
    )


def summarise(name: str, folder: Path, runs: list[_measure.Measurement]) -> dict[str, Any]:
    bad = [r for r in runs if not r.ok]
    if bad:
        return {"status": f"{bad[0].status}: {bad[0].stderr_tail.strip().splitlines()[-1:]}"}
    participant, group, k = tracktwo_groups(folder.parent / f"{folder.name}.tracktwo.json")
    loads = [value for r in runs for value in r.result["load"]]
    return {
        "status": "ok",
        "wall_s": statistics.median(r.wall_s for r in runs),
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "peak_mb": statistics.median(r.peak_mb for r in runs),
        "max_peak_mb": max(r.peak_mb for r in runs),
        "runs": [round(r.wall_s, 2) for r in runs],
        "load": [min(loads), max(loads)],
        "groups": k,
        "ari": planted_ari(folder, participant, group),
    }


def run_arrow_read(name: str, folder: Path, repeats: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeats):
        done = _measure.run(
            [PY, __file__, "--child", "arrow", str(folder / "votes.csv")], capture_result=True
        )
        if not done.ok:
            return {"status": f"{done.status}: {done.stderr_tail.strip().splitlines()[-1:]}"}
        runs.append(done)
    print(
        f"[{name}] bare pyarrow read {statistics.median(r.wall_s for r in runs):.1f} s "
        f"(CPU {statistics.median(r.cpu_s for r in runs):.1f} s), load {load():.1f}",
        flush=True,
    )
    return {
        "status": "ok",
        "wall_s": statistics.median(r.wall_s for r in runs),
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "peak_mb": statistics.median(r.peak_mb for r in runs),
    }


def run_replay(name: str, folder: Path, timeout_s: float, repeats: int) -> dict[str, Any]:
    """``repeats`` replays, each after a static run: the replays' median, and their ratio to
    the static runs beside them (the same host state) as well as to the table's."""
    replays, statics = [], []
    for _ in range(max(1, repeats)):
        statics.append(tracktwo_once(name, folder))
        done = tracktwo_once(name, folder, ["--replay"], timeout_s)
        if not done.ok:
            batches = re.findall(r"replay batch (\d+)/(\d+)", done.stderr_tail)
            reached = f", {batches[-1][0]} of {batches[-1][1]} batches done" if batches else ""
            return {
                "status": f"{done.status} after {done.wall_s:.0f} s wall (CPU {done.cpu_s:.0f} s)"
                f"{reached}, load {done.result['load'][0]:.1f}-{done.result['load'][1]:.1f}"
            }
        replays.append(done)
    loads = [value for r in replays for value in r.result["load"]]
    beside = [r.wall_s for r in statics if r.ok]
    return {
        "status": "ok",
        "wall_s": statistics.median(r.wall_s for r in replays),
        "cpu_s": statistics.median(r.cpu_s for r in replays),
        "peak_mb": statistics.median(r.peak_mb for r in replays),
        "runs": [round(r.wall_s, 2) for r in replays],
        "static_runs": [round(wall, 2) for wall in beside],
        "static_beside_s": statistics.median(beside) if beside else None,
        "load": [min(loads), max(loads)],
    }


def run_reddwarf(
    name: str, folder: Path, memory_gb: float, timeout_s: float, repeats: int
) -> dict[str, Any]:
    n_p, n_s = SIZES[name]
    matrix_gb = n_p * n_s * 8 / 1024**3
    if matrix_gb * REDDWARF_PEAK_PER_MATRIX > memory_gb:
        return {
            "status": f"skipped: dense matrix would need {matrix_gb:,.0f} GB "
            f"(float64 {n_p:,} x {n_s:,}; about {matrix_gb * REDDWARF_PEAK_PER_MATRIX:,.0f} GB "
            f"at its measured {REDDWARF_PEAK_PER_MATRIX}x peak) > {memory_gb:g} GB limit"
        }
    labels = folder.parent / f"{folder.name}.reddwarf.npz"
    runs = []
    for _ in range(repeats):
        done = _measure.run(
            [PY, __file__, "--child", "reddwarf", str(folder), str(labels)],
            memory_limit=int(memory_gb * 1024**3),
            timeout_s=3 * timeout_s,  # on a busy machine the wall clock runs away ...
            cpu_timeout_s=timeout_s,  # ... so the limit is on red-dwarf's own CPU time
            capture_result=True,
        )
        print(
            f"[{name}] red-dwarf {done.status} {done.wall_s:.1f} s (CPU {done.cpu_s:.1f} s), "
            f"peak {done.peak_mb:,.0f} MB",
            flush=True,
        )
        if done.status == "timeout":
            return {
                "status": f"timed out ({done.cpu_s:.0f} s CPU, {done.wall_s:.0f} s wall)",
                "timeout": True,
            }
        if done.status == "oom":
            return {"status": f"out of memory (limit {memory_gb:g} GB)", "peak_mb": done.peak_mb}
        if not done.ok:
            return {"status": f"failed: {done.stderr_tail.strip().splitlines()[-1:]}"}
        runs.append(done)
        if done.wall_s > 60:  # one run of a slow size is enough
            break
    saved = np.load(labels)
    return {
        "status": "ok",
        "wall_s": statistics.median(r.wall_s for r in runs),
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "peak_mb": statistics.median(r.peak_mb for r in runs),
        "runs": [round(r.wall_s, 1) for r in runs],
        "groups": runs[-1].result["groups"],
        "ari": planted_ari(folder, saved["participant"], saved["group"]),
    }


def run_phases(name: str, folder: Path) -> dict[str, Any]:
    done = _measure.run([PY, __file__, "--child", "phases", str(folder)], capture_result=True)
    if not done.ok:
        return {"status": f"{done.status}: {done.stderr_tail.strip().splitlines()[-1:]}"}
    seconds = done.result["seconds"]
    shown = ", ".join(f"{k} {v:.1f}" for k, v in sorted(seconds.items(), key=lambda kv: -kv[1]))
    print(f"[{name}] phases (s): {shown}; peak {done.peak_mb:,.0f} MB", flush=True)
    return {"peak_mb": done.peak_mb, **done.result}


def run_update(seed: int, repeats: int) -> dict[str, Any]:
    args = ["--child", "update", "10000", "500", "1000", str(repeats), str(seed)]
    done = _measure.run([PY, __file__, *args], capture_result=True, timeout_s=1800)
    if not done.ok:
        return {"status": f"{done.status}: {done.stderr_tail.strip().splitlines()[-1:]}"}
    times = done.result["update_s"]
    print(f"[update] median {statistics.median(times):.3f} s of {times}", flush=True)
    return {"status": "ok", **done.result, "median_s": statistics.median(times)}


def _cell(value: float | None, fmt: str) -> str:
    return "-" if value is None or value != value else format(value, fmt)


def _wall(side: dict[str, Any]) -> str:
    cpu = side.get("cpu_s")
    return _cell(side["wall_s"], ".1f") + (f" ({cpu:.1f})" if cpu is not None else "")


def _runs(walls: list[float]) -> str:
    return ", ".join(f"{wall:.1f}" for wall in walls)


def _ok(side: dict[str, Any]) -> bool:
    return side.get("status") == "ok"


def table(rows: list[dict[str, Any]], update: dict[str, Any] | None) -> list[str]:
    lines = [
        "| size | participants x statements | votes | tracktwo wall s (CPU s), median of 3 "
        "[runs] | tracktwo peak MB | load during the runs | bare pyarrow read wall s (CPU s) "
        "| red-dwarf wall s (CPU s) | red-dwarf peak MB | speed-up wall (CPU) | groups (ARI vs "
        "planted): tracktwo / red-dwarf |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours, theirs = row["tracktwo"], row["reddwarf"]
        arrow = row.get("arrow", {})
        n_p, n_s = SIZES[row["size"]]
        speed = "-"
        if _ok(ours) and _ok(theirs):
            speed = f"{theirs['wall_s'] / ours['wall_s']:.0f}x"
            if theirs.get("cpu_s") and ours.get("cpu_s"):
                speed += f" ({theirs['cpu_s'] / ours['cpu_s']:.0f}x)"
        ours_cells = (
            [
                f"{_wall(ours)} {ours.get('runs', '')}",
                _cell(ours["peak_mb"], ",.0f"),
                "{:.1f}-{:.1f}".format(*ours["load"]) if ours.get("load") else "-",
            ]
            if _ok(ours)
            else [ours.get("status", "not run"), "-", "-"]
        )
        arrow_cell = _wall(arrow) if _ok(arrow) else arrow.get("status", "not run")
        theirs_cells = (
            [_wall(theirs), _cell(theirs["peak_mb"], ",.0f")]
            if _ok(theirs)
            else [theirs.get("status", "not run"), "-"]
        )
        quality = " / ".join(
            f"{side['groups']} ({side['ari']:.2f})" if _ok(side) else "-" for side in (ours, theirs)
        )
        lines.append(
            f"| {row['size']} | {n_p:,} x {n_s:,} | {row['votes']:,} | "
            + " | ".join([*ours_cells, arrow_cell, *theirs_cells, speed, quality])
            + " |"
        )
    for row in rows:
        phases = row["tracktwo"].get("phases", {}).get("seconds")
        if phases:
            total = phases["total"] + row["tracktwo"]["phases"].get("imports_s", 0.0)
            cpu = row["tracktwo"]["phases"].get("cpu_seconds", {})
            steps = {**phases, "imports": row["tracktwo"]["phases"].get("imports_s", 0.0)}
            steps.pop("total")
            steps.pop("analyze (all)", None)
            analysed = phases.get("analyze (all)", 0.0) - sum(
                v for k, v in phases.items() if k in PHASES
            )
            steps["rest of analyze"] = analysed
            shown = ", ".join(
                f"{k} {v:.1f} ({100 * v / total:.0f}%; CPU {cpu.get(k, float('nan')):.1f})"
                for k, v in sorted(steps.items(), key=lambda kv: -kv[1])
                if v >= 0.05
            )
            lines += [
                "",
                f"tracktwo's steps at {row['size']}, in one more process, wall s (share of its "
                f"{total:.1f} s; CPU s): {shown}.",
            ]
    for row in rows:
        replayed = row.get("replay")
        if replayed:
            if _ok(replayed) and _ok(row["tracktwo"]):
                ratio = replayed["wall_s"] / row["tracktwo"]["wall_s"]
                runs = replayed.get("runs", [replayed["wall_s"]])
                beside = replayed.get("static_beside_s")
                interleaved = (
                    f"; each run after a static run, which took {_runs(replayed['static_runs'])} "
                    f"s: {replayed['wall_s'] / beside:.1f}x their median"
                    if beside
                    else ""
                )
                lines += [
                    "",
                    f"Replay at {row['size']} (`tracktwo analyze FOLDER --replay --json`, Pol.is's "
                    f"schedule, at most 500 updates, restart at the end), median of {len(runs)} "
                    f"[{_runs(runs)}]: {_wall(replayed)} s, peak {replayed['peak_mb']:,.0f} MB, "
                    f"{ratio:.1f}x the static median in the table{interleaved} "
                    f"(load {replayed['load'][0]:.1f}-{replayed['load'][1]:.1f}).",
                ]
            else:
                lines += ["", f"Replay at {row['size']}: {replayed.get('status')}."]
    dates = [
        f"{row['size']} {row['reddwarf']['date']}"
        for row in rows
        if "date" in row["reddwarf"] and not row["reddwarf"]["status"].startswith("skipped")
    ]
    if dates:
        lines += ["", f"red-dwarf runs ended: {', '.join(dates)}."]
    if update is not None:
        lines.append("")
        if update.get("status") == "ok":
            lines.append(
                f"Incremental update, 10,000 participants x 500 statements "
                f"({update['votes_before']:,} votes, analysed in {update['analyse_s']:.2f} s), "
                f"1,000 new votes: median {update['median_s']:.3f} s over "
                f"{len(update['update_s'])} updates (min {min(update['update_s']):.3f}, "
                f"max {max(update['update_s']):.3f}); groups {update['groups_before']} -> "
                f"{sorted(set(update['groups_after']))}."
            )
        else:
            lines.append(f"Incremental update: {update['status']}")
    return lines


def write_docs(lines: list[str], command: str) -> None:
    info = _measure.machine()
    block = [
        BEGIN,
        f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {info['nproc']} cores ({info['cpu']}), "
        f"{info['memory']} RAM. The 1-minute load average during each size's runs is in the "
        f"table: below the number of cores the machine was quiet; above it the runs waited for "
        f"CPU and their wall times are inflated. tracktwo figures are medians of 3.",
        "",
        f"Command: `{command}`",
        "",
        *lines,
        END,
    ]
    text = DOC.read_text() if DOC.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(block) + rest.split(END, 1)[1]
    else:
        goals = "\n".join(GOALS)
        text = (
            f"# Engine performance\n\nGoals on this 2-core machine:\n{goals}\n\n"
            + "\n".join(block)
            + "\n"
        )
    DOC.write_text(text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="tracktwo runs per size (median)")
    parser.add_argument("--no-reddwarf", action="store_true")
    parser.add_argument("--reddwarf-memory-gb", type=float, default=20.0)
    parser.add_argument(
        "--reddwarf-timeout",
        type=float,
        default=600.0,
        help="CPU seconds red-dwarf may use per run (600; wall time at most 3x that)",
    )
    parser.add_argument(
        "--reuse-reddwarf",
        action="store_true",
        help="take red-dwarf's figures from an earlier run on the same data when there is one",
    )
    parser.add_argument("--update-repeats", type=int, default=7)
    parser.add_argument("--no-update", action="store_true")
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md")
    parser.add_argument(
        "--phases", action="store_true", help="also time tracktwo's steps, one run per size"
    )
    parser.add_argument(
        "--replay-sizes", default="100k", help="sizes whose --replay is timed too (100k)"
    )
    parser.add_argument(
        "--replay-timeout", type=float, default=900.0, help="wall seconds a replay may take"
    )
    parser.add_argument(
        "--replay-repeats",
        type=int,
        default=3,
        help="replays per size (median), each after a static run of its own (3)",
    )
    parser.add_argument(
        "--merge-saved",
        action="store_true",
        help="add the saved results of sizes not measured in this run to the table",
    )
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="measure nothing: the table from the saved results of --sizes (and the update)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)
    names = [name.strip() for name in args.sizes.split(",") if name.strip()]
    unknown = [name for name in names if name not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    if args.table_only:  # the saved results of earlier runs, as one table
        rows = [
            json.loads((OUT / f"{name}-seed{args.seed}.results.json").read_text()) for name in names
        ]
        saved_update = OUT / "update.results.json"
        update = json.loads(saved_update.read_text()) if saved_update.exists() else None
        lines = table(rows, update)
        print("\n".join(lines))
        if args.write_docs:
            write_docs(lines, "python bench/engine.py " + " ".join(argv))
        return 0
    rows: list[dict[str, Any]] = []
    reddwarf_gave_up = False
    replay_sizes = {name.strip() for name in args.replay_sizes.split(",") if name.strip()}
    for name in names:
        folder, votes = conversation_folder(name, args.seed)
        saved = folder.parent / f"{folder.name}.reddwarf.json"
        arrow = run_arrow_read(name, folder, args.repeats)
        # tracktwo before and after red-dwarf, so that both see the same machine
        runs = [tracktwo_once(name, folder) for _ in range(max(1, args.repeats - 1))]
        if args.no_reddwarf:
            theirs: dict[str, Any] = {"status": "not run"}
        elif reddwarf_gave_up:
            theirs = {"status": "not run: timed out at a smaller size"}
        elif args.reuse_reddwarf and saved.exists():
            theirs = json.loads(saved.read_text())
            print(f"[{name}] red-dwarf: reusing the run of {theirs.get('date')}", flush=True)
        else:
            theirs = run_reddwarf(
                name, folder, args.reddwarf_memory_gb, args.reddwarf_timeout, args.repeats
            )
            theirs["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
            saved.write_text(json.dumps(theirs, indent=1))
            reddwarf_gave_up = bool(theirs.get("timeout"))
        if args.repeats > 1:
            runs.append(tracktwo_once(name, folder))
        ours = summarise(name, folder, runs)
        if args.phases:
            ours["phases"] = run_phases(name, folder)
        row = {"size": name, "votes": votes, "tracktwo": ours, "reddwarf": theirs, "arrow": arrow}
        if name in replay_sizes:
            row["replay"] = run_replay(name, folder, args.replay_timeout, args.replay_repeats)
        rows.append(row)
        (OUT / f"{folder.name}.results.json").write_text(json.dumps(row, indent=1))
    if args.merge_saved:
        measured = {row["size"] for row in rows}
        for name in SIZES:
            kept = OUT / f"{name}-seed{args.seed}.results.json"
            if name not in measured and kept.exists():
                rows.append(json.loads(kept.read_text()))
        rows.sort(key=lambda row: list(SIZES).index(row["size"]))
    update = None if args.no_update else run_update(args.seed, args.update_repeats)
    if update is not None:
        (OUT / "update.results.json").write_text(json.dumps(update, indent=1))
    lines = table(rows, update)
    print("\n".join(lines))
    if args.write_docs:
        write_docs(lines, "python bench/engine.py " + " ".join(argv))
    return 0


def _child(spec: list[str]) -> int:
    kind, *rest = spec
    if kind == "generate":
        child_generate(Path(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]))
    elif kind == "reddwarf":
        child_reddwarf(Path(rest[0]), Path(rest[1]))
    elif kind == "phases":
        child_phases(Path(rest[0]))
    elif kind == "arrow":
        child_arrow_read(Path(rest[0]))
    elif kind == "update":
        child_update(*(int(value) for value in rest))
    else:
        raise SystemExit(f"unknown child {kind!r}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main(sys.argv[1:]))
