"""The Python binding: loading and compiling graphs, one patient with its
explanation, NDJSON byte-identical to `rubric eval`, DataFrames equal to the
CLI's compact lines, pickling, and the GIL released during evaluation.
Run by tests/python/run.sh under /usr/bin/python3 with pytest."""
import json
import os
import pickle
import subprocess
import sys
import threading

import pandas as pd
import pytest

import rubric

sys.path.insert(0, os.path.dirname(__file__))
from patients import patient_lines  # noqa: E402

SRC = os.environ["RUBRIC_SOURCE_DIR"]
RUBRIC = os.environ["RUBRIC_BINARY"]
LBP = os.path.join(SRC, "guidelines/acr/low_back_pain.rubric")
GRAPH_JSON = os.path.join(SRC, "tests/runtime_only/data/low_back_pain.graph.json")
MRI = "MRI lumbar spine without IV contrast"
SEED = {"id": "seed-55yo", "age": "55 years", "symptom_duration": "12 weeks", "radiculopathy": True, "red_flags": [],
        "conservative_therapy": "0 weeks", "prior_lumbar_surgery": False, "new_or_progressing_symptoms": False}


@pytest.fixture(scope="module")
def graph():
    return rubric.Graph.load(LBP)


def cli(args, data: bytes) -> bytes:
    r = subprocess.run([RUBRIC, "eval", LBP, "--format", "ndjson", "--no-progress"] + args, input=data,
                       capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout


def test_load_rubric_json_and_compile_give_the_same_graph(graph):
    assert graph.id == "acr.low_back_pain"
    assert "symptom_duration" in graph.facts
    from_json = rubric.Graph.load(GRAPH_JSON)
    with open(LBP, encoding="utf-8") as f:
        compiled = rubric.Graph.compile(f.read())  # named acr/low_back_pain.rubric after its module
    line = json.dumps(SEED)
    assert graph.evaluate_ndjson(line) == from_json.evaluate_ndjson(line) == compiled.evaluate_ndjson(line)


def test_compile_errors_and_bad_graphs_raise_with_the_diagnostic():
    with pytest.raises(ValueError, match=r"guideline\.rubric:1:1: error\[R\d+\]: "):
        rubric.Graph.compile("this is not a guideline\n")
    with pytest.raises(ValueError, match="not valid JSON"):
        rubric.Graph.from_json('{"format": "rubric.decision-graph"')


def test_evaluate_a_dict_gives_status_variant_ratings_and_explanation(graph):
    r = graph.evaluate(SEED)
    assert r.status == "matched"
    assert r.variant == "2"
    assert r.title.startswith("Subacute or chronic low back pain")
    assert r.rating(MRI) == "usually_not_appropriate"
    assert r.missing == [] and r.candidates == []
    assert "Why variant 2" in r.explanation
    assert json.loads(r.explanation_json)["status"] == "matched"
    assert r.line == cli([], json.dumps(SEED).encode()).decode().rstrip("\n")


def test_undetermined_and_malformed_patients(graph):
    open_case = dict(SEED, id="u", prior_lumbar_surgery=True)
    del open_case["new_or_progressing_symptoms"]
    r = graph.evaluate(open_case)
    assert r.status == "undetermined"
    assert r.variant is None
    assert r.missing == ["new_or_progressing_symptoms"]
    assert r.candidates == ["5", "2"]
    with pytest.raises(ValueError, match=r'`age`: "fifty" is not a duration'):
        graph.evaluate({"age": "fifty"})


def test_evaluate_ndjson_is_byte_identical_to_the_cli(graph):
    lines = patient_lines(20000, seed=3)
    lines[17] = "not json\n"
    lines[4000] = '{"id": "x", "age": "fifty"}\n'
    data = "".join(lines).encode()
    want = cli([], data)
    assert graph.evaluate_ndjson(data) == want
    assert graph.evaluate_ndjson(lines, threads=2) == want  # a list of lines, two threads
    compact = ["--fields", "id,status,variant,ordered,missing", "--procedure", MRI]
    assert graph.evaluate_ndjson(data, fields="id,status,variant,ordered,missing", procedure=MRI) == cli(compact, data)


def test_evaluate_frame_equals_the_cli_compact_lines(graph):
    rows = [json.loads(l) for l in patient_lines(3000, seed=5)]
    df = pd.DataFrame(rows).set_index("id")
    df.loc[7, "age"] = None             # unknown, not false
    df.loc[8, "radiculopathy"] = float("nan")
    out = graph.evaluate_frame(df, procedure=MRI)
    assert list(out.columns) == ["status", "variant", "ordered", "missing", "error"]
    assert list(out.index) == list(df.index)
    data = df.reset_index().to_json(orient="records", lines=True).encode()
    want = [json.loads(l) for l in cli(["--fields", "status,variant,ordered,missing,error", "--procedure", MRI],
                                       data).splitlines()]
    got = out.to_dict(orient="records")
    assert got == want
    assert set(out["status"]) == {"matched", "undetermined", "no_criteria_apply"}
    assert out.loc[7, "status"] != "error"


def test_graphs_pickle_and_evaluate_the_same(graph):
    copy = pickle.loads(pickle.dumps(graph))
    assert copy.id == graph.id
    data = "".join(patient_lines(500, seed=9))
    assert copy.evaluate_ndjson(data) == graph.evaluate_ndjson(data)


def test_evaluation_releases_the_gil(graph):
    # While one thread is inside evaluate_ndjson (C++, a few hundred ms), the
    # main thread keeps running Python. Were the GIL held, the main thread's
    # longest pause would span the whole call; released, it stays a fraction.
    import time
    data = "".join(patient_lines(300000, seed=2)).encode()
    span = {}

    def work():
        t0 = time.perf_counter()
        graph.evaluate_ndjson(data)
        span["call"] = time.perf_counter() - t0

    t = threading.Thread(target=work)
    t.start()
    last, longest = time.perf_counter(), 0.0
    while t.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    t.join()
    assert longest < span["call"] / 2, (longest, span["call"])
