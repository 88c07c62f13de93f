"""Rubric on Dask: evaluate a dask DataFrame, or a folder of NDJSON files, on a cluster.

    import rubric, rubric.dask
    from dask.distributed import Client
    client = Client("scheduler:8786")            # or LocalCluster()
    g = rubric.Graph.load("low_back_pain.json")
    parts = rubric.dask.evaluate("orders/*.ndjson", g, output="results/")
    parts.compute()                              # one result file per input block

Each partition runs the same batch engine as `rubric eval --format ndjson`
(the graph ships to workers pickled as its JSON), so its lines are the CLI's
bytes. Tasks are pure and write their part file atomically, so a worker lost
mid-run is simply retried by the scheduler. See docs/scale.md.
"""
from __future__ import annotations

import glob
import os
from typing import List, Optional, Sequence, Union

from . import Graph

__all__ = ["evaluate", "blocks"]


def _files(paths: Union[str, os.PathLike, Sequence[str]]) -> List[str]:
    """A folder (its *.ndjson / *.jsonl files), a glob, a file, or a list of those; sorted."""
    if isinstance(paths, (str, os.PathLike)):
        p = os.fspath(paths)
        if os.path.isdir(p):
            found = [f for f in os.listdir(p) if f.endswith((".ndjson", ".jsonl", ".json"))]
            return sorted(os.path.join(p, f) for f in found)
        matches = sorted(glob.glob(p))
        return matches if matches else [p]
    out: List[str] = []
    for p in paths:
        out.extend(_files(p))
    return out


def blocks(paths, blocksize: Optional[int] = 64 << 20):
    """(path, offset, length) triples: each file cut into blocks of about
    `blocksize` bytes at line ends (None: one block per file). Pipes and other
    non-regular files are one block each."""
    out = []
    for path in _files(paths):
        size = os.path.getsize(path) if os.path.isfile(path) else None
        if blocksize is None or size is None or size <= blocksize:
            out.append((path, 0, None))
            continue
        for offset in range(0, size, blocksize):
            out.append((path, offset, blocksize))
    return out


def _read_block(path: str, offset: int, length: Optional[int]) -> bytes:
    """The lines that start inside [offset, offset+length): no line is split or read twice."""
    with open(path, "rb") as f:
        if length is None:
            return f.read()
        from fsspec.utils import read_block
        return read_block(f, offset, length, delimiter=b"\n")


def _evaluate_block(graph: Graph, path: str, offset: int, length: Optional[int], index: int,
                    output: Optional[str], options: dict):
    data = _read_block(path, offset, length)
    out, stats = graph.evaluate_ndjson_stats(data, **options)
    if output is None:
        return out.decode("utf-8").splitlines()
    part = os.path.join(output, "part-%05d.ndjson" % index)
    tmp = "%s.tmp-%d" % (part, os.getpid())
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, part)  # atomic: a retried task rewrites the same bytes
    return [dict(stats, path=part, source=path, offset=offset)]


def evaluate(data, graph: Graph, output: Optional[str] = None, fields: Optional[str] = None,
             procedure: Optional[str] = None, procedure_column: Optional[str] = None,
             blocksize: Optional[int] = 64 << 20):
    """Evaluates patients on Dask.

    `data` is a dask DataFrame (one column per fact): the result is a dask
    DataFrame with the same index and the columns of Graph.evaluate_frame.

    Or `data` names NDJSON files (a folder, a glob, a path or a list): the
    result is a dask Bag with one partition per block of input. Without
    `output` its elements are the result lines (str, no newline), exactly the
    lines of `rubric eval --format ndjson [--fields …]`; with `output` (a
    folder, created if needed) each partition writes `part-NNNNN.ndjson` there
    and its element is a summary {path, lines, matched, undetermined,
    no_criteria_apply, errors}. An error line's "line N" counts within its block.
    """
    if hasattr(data, "map_partitions") and hasattr(data, "columns"):
        import pandas as pd
        cols = ["status", "variant"] + (["ordered"] if procedure or procedure_column else []) + ["missing", "error"]
        meta = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        return data.map_partitions(graph.evaluate_frame, procedure=procedure, procedure_column=procedure_column,
                                   meta=meta)

    import dask.bag as db
    from dask.base import tokenize

    if output is not None:
        os.makedirs(output, exist_ok=True)
    options = {"fields": fields, "procedure": procedure, "procedure_key": procedure_column}
    parts = blocks(data, blocksize)
    name = "rubric-evaluate-" + tokenize(graph.to_json(), parts, output, options)
    dsk = {(name, i): (_evaluate_block, graph, path, offset, length, i, output, options)
           for i, (path, offset, length) in enumerate(parts)}
    return db.Bag(dsk, name, len(parts))
