"""Rubric for Python: evaluate patients against a compiled imaging guideline.

    import rubric
    g = rubric.Graph.load("guidelines/acr/low_back_pain.rubric")   # or a compiled graph .json
    r = g.evaluate({"age": "55 years", "symptom_duration": "12 weeks", ...})
    r.status, r.variant, r.ratings, r.missing, r.explanation

    out = g.evaluate_ndjson(lines)      # bytes, identical to `rubric eval --format ndjson`
    df2 = g.evaluate_frame(df, procedure="MRI lumbar spine without IV contrast")

Graphs pickle (as their decision-graph JSON), so they ship to Dask or
multiprocessing workers. Evaluation releases the GIL. See docs/scale.md.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Union

from . import _rubric

__all__ = ["Graph", "Result", "FRAME_FIELDS"]

# The columns evaluate_frame returns, in order (`ordered` only with a procedure).
FRAME_FIELDS = ("status", "variant", "ordered", "missing")


@dataclass
class Result:
    """One patient's evaluation."""

    status: str                      # matched | undetermined | no_criteria_apply
    variant: Optional[str]           # the selected variant's id, or None
    title: Optional[str]             # its title
    ratings: List[dict]              # [{"procedure", "category", "label"}] of the variant
    missing: List[str]               # undetermined: facts whose values would decide it
    candidates: List[str]            # undetermined: variants still possible
    line: str                        # the NDJSON result line (as `rubric eval --format ndjson`)
    explanation: str = field(repr=False, default="")       # the text of `rubric explain`
    explanation_json: str = field(repr=False, default="")  # `rubric explain --format json`

    def rating(self, procedure: str) -> Optional[str]:
        """The category the variant gives `procedure` (display name), or None."""
        for r in self.ratings:
            if r["procedure"] == procedure:
                return r["category"]
        return None


def _driver() -> str:
    """The `rubric` driver: $RUBRIC_BINARY, the one built with this module, or PATH."""
    if os.environ.get("RUBRIC_BINARY"):
        return os.environ["RUBRIC_BINARY"]
    try:
        from ._paths import RUBRIC_BINARY
        if os.path.exists(RUBRIC_BINARY):
            return RUBRIC_BINARY
    except ImportError:
        pass
    return "rubric"


def _compile_file(path: str) -> str:
    """The decision-graph JSON of a `.rubric` file (as `rubric compile --no-verify`)."""
    with tempfile.TemporaryDirectory(prefix="rubric-") as d:
        out = os.path.join(d, "graph.json")
        r = subprocess.run([_driver(), "compile", path, "--no-verify", "-o", out, "--color", "never"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise ValueError(r.stderr.strip() or "`%s` does not compile" % path)
        with open(out, encoding="utf-8") as f:
            return f.read()


def _as_bytes(lines: Union[str, bytes, Iterable[str]]) -> bytes:
    if isinstance(lines, bytes):
        return lines
    if isinstance(lines, str):
        return lines.encode("utf-8")
    return "".join(l if l.endswith("\n") else l + "\n" for l in lines).encode("utf-8")


class Graph:
    """A compiled decision graph. Immutable; safe to share between threads."""

    def __init__(self, compiled: "_rubric.CompiledGraph"):
        self._c = compiled

    @classmethod
    def load(cls, path: str) -> "Graph":
        """A `.rubric` guideline (compiled by the `rubric` driver) or a compiled graph `.json`."""
        path = os.fspath(path)
        if path.endswith(".rubric"):
            return cls.from_json(_compile_file(path))
        return cls(_rubric.CompiledGraph.from_file(path))

    @classmethod
    def compile(cls, source: str, name: Optional[str] = None) -> "Graph":
        """Compiles guideline source text; errors raise ValueError with the diagnostics.
        `name` is the file's path under its search root (`acr/low_back_pain.rubric`);
        by default it follows the `guideline` line's module name, as the compiler requires."""
        if name is None:
            m = re.search(r"^\s*guideline\s+([A-Za-z_][\w.]*)", source, re.M)
            name = (m.group(1).replace(".", "/") if m else "guideline") + ".rubric"
        with tempfile.TemporaryDirectory(prefix="rubric-") as d:
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            return cls.from_json(_compile_file(path))

    @classmethod
    def from_json(cls, text: str) -> "Graph":
        """A graph from its decision-graph JSON (docs/ir.md)."""
        return cls(_rubric.CompiledGraph.from_graph_json(text))

    def to_json(self) -> str:
        return self._c.to_json()

    # Pickled as the decision-graph JSON: compact, versioned, checked on load.
    def __getstate__(self):
        return {"graph": self._c.to_json()}

    def __setstate__(self, state):
        self._c = _rubric.CompiledGraph.from_graph_json(state["graph"])

    @property
    def id(self) -> str:
        return self._c.id

    @property
    def title(self) -> str:
        return self._c.title

    @property
    def facts(self) -> List[str]:
        return self._c.facts

    def evaluate(self, patient: Union[dict, str], explain: bool = True) -> Result:
        """Evaluates one patient (a dict of facts, or its JSON text). Malformed data raises ValueError."""
        text = patient if isinstance(patient, str) else json.dumps(patient)
        d = self._c.evaluate_json(text, explain)
        return Result(status=d["status"], variant=d["variant"], title=d["title"], ratings=d["ratings"],
                      missing=d["missing"], candidates=d["candidates"], line=d["line"],
                      explanation=d["explanation_text"], explanation_json=d["explanation_json"])

    def evaluate_ndjson(self, lines: Union[str, bytes, Iterable[str]], fields: Optional[str] = None,
                        procedure: Optional[str] = None, procedure_key: Optional[str] = None,
                        threads: int = 1) -> bytes:
        """NDJSON in, NDJSON out: the bytes `rubric eval --format ndjson [--fields …]` writes.
        Malformed records become error lines (as --on-error=line)."""
        out, _ = self._c.evaluate_ndjson(_as_bytes(lines), fields, procedure, procedure_key, threads)
        return out

    def evaluate_ndjson_stats(self, lines, fields=None, procedure=None, procedure_key=None, threads=1):
        """evaluate_ndjson, and the run's counts (lines, matched, undetermined, no_criteria_apply, errors)."""
        return self._c.evaluate_ndjson(_as_bytes(lines), fields, procedure, procedure_key, threads)

    def evaluate_frame(self, df, procedure: Optional[str] = None, procedure_column: Optional[str] = None,
                       threads: int = 1):
        """A pandas DataFrame of patients (one column per fact; NaN/None = unknown) →
        a DataFrame with the same index and columns status, variant, ordered (the
        category the variant gives the ordered procedure: `procedure` for every
        row, or the name/id/code in `procedure_column`), missing (list of facts)
        and error (None, or what is wrong with the row)."""
        import pandas as pd

        use_procedure = procedure is not None or procedure_column is not None
        fields = "status,variant," + ("ordered," if use_procedure else "") + "missing,error"
        text = df.to_json(orient="records", lines=True, force_ascii=False) if len(df) else ""
        out = self.evaluate_ndjson(text, fields=fields, procedure=procedure, procedure_key=procedure_column,
                                   threads=threads)
        rows = [json.loads(l) for l in out.decode("utf-8").splitlines()]
        columns = ["status", "variant"] + (["ordered"] if use_procedure else []) + ["missing", "error"]
        return pd.DataFrame(rows, index=df.index, columns=columns)
