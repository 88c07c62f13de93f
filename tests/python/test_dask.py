"""rubric.dask on a LocalCluster: two worker processes on loopback evaluate
1,000,000 patients from a folder of NDJSON files (8 files, 16 partitions),
while one worker is killed in the middle of a task; the scheduler retries it,
and the result files, ordered by patient id, equal one `rubric eval` run byte
for byte. Also: a dask DataFrame gives the same rows as Graph.evaluate_frame.
RUBRIC_DASK_PATIENTS overrides the count (for a quicker local run; CI uses the default)."""
import faulthandler
import json
import logging
import os
import signal
import shutil
import subprocess
import sys
import threading
import time

import pytest

import rubric
import rubric.dask

sys.path.insert(0, os.path.dirname(__file__))
from patients import patient_lines  # noqa: E402

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

SRC = os.environ["RUBRIC_SOURCE_DIR"]
RUBRIC = os.environ["RUBRIC_BINARY"]
LBP = os.path.join(SRC, "guidelines/acr/low_back_pain.rubric")
PATIENTS = int(os.environ.get("RUBRIC_DASK_PATIENTS", "1000000"))
FILES = 8
FIFO_FILE = 3  # this input is a named pipe: its task blocks until the test feeds it
# A hang (seen once on a machine at load 16) must fail with every thread's
# stack, not hold up the whole run until ctest's own timeout.
faulthandler.dump_traceback_later(int(os.environ.get("RUBRIC_DASK_TIMEOUT", "780")), exit=True)


def executing_keys(dask_worker):
    state = getattr(dask_worker, "state", dask_worker)
    return [str(getattr(ts, "key", ts)) for ts in state.executing]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_a_folder_of_ndjson_on_two_workers_equals_one_cli_run_despite_a_killed_worker(client, tmp_path):
    started = time.time()
    graph = rubric.Graph.load(LBP)
    per_file = PATIENTS // FILES
    inputs, contents = tmp_path / "in", []
    inputs.mkdir()
    for k in range(FILES):
        text = "".join(patient_lines(per_file, seed=11, start=k * per_file)).encode()
        contents.append(text)
        path = inputs / ("orders-%02d.ndjson" % k)
        if k == FIFO_FILE:
            os.mkfifo(path)
        else:
            path.write_bytes(text)
    (tmp_path / "all.ndjson").write_bytes(b"".join(contents))

    # Files of ~30 MB in 16 MB blocks: 2 partitions per regular file, 1 for the pipe.
    bag = rubric.dask.evaluate(str(inputs), graph, output=str(tmp_path / "out"), blocksize=16 << 20)
    assert bag.npartitions >= 8
    fifo_index = [i for i, (p, _, _) in enumerate(rubric.dask.blocks(str(inputs), 16 << 20))
                  if p.endswith("orders-%02d.ndjson" % FIFO_FILE)][0]
    future = client.compute(bag)

    # Wait until a worker is inside the pipe's task, then kill that worker.
    marker = ", %d)" % fifo_index
    victim = None
    deadline = time.time() + 300
    while victim is None:
        assert time.time() < deadline, "no worker started the pipe's task within 300 s"
        for addr, keys in client.run(executing_keys).items():
            if any(k.endswith(marker) for k in keys):
                victim = addr
        time.sleep(0.05)
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)

    # Feed the pipe to whichever worker retries the task. SIGKILL is
    # asynchronous: the killed worker may still hold the pipe's read end when
    # this opens it, and then dies mid-write (EPIPE); the retried task opens
    # the pipe afresh, so feed it again from the start.
    def feed():
        while True:
            try:
                with open(inputs / ("orders-%02d.ndjson" % FIFO_FILE), "wb") as f:
                    f.write(contents[FIFO_FILE])
                return
            except BrokenPipeError:
                continue

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    summaries = future.result(timeout=300)
    feeder.join()
    assert pid not in client.run(os.getpid).values()  # the killed worker was replaced

    assert sum(s["lines"] for s in summaries) == per_file * FILES
    assert sum(s["errors"] for s in summaries) == 0
    # Order the parts by the first patient id they hold, then compare their
    # bytes with one CLI run's output as it streams (no ~2 GB copies on disk).
    def first_id(path):
        with open(path, "rb") as f:
            return json.loads(f.readline())["id"]
    parts = sorted((s["path"] for s in summaries if s["lines"] > 0), key=first_id)
    cli = subprocess.Popen([RUBRIC, "eval", LBP, "--patients", str(tmp_path / "all.ndjson"), "--format", "ndjson"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    compared = 0
    for p in parts:
        with open(p, "rb") as f:
            while chunk := f.read(1 << 22):
                want = cli.stdout.read(len(chunk))
                assert want == chunk, "part %s differs from the CLI output near byte %d" % (p, compared)
                compared += len(chunk)
    assert cli.stdout.read(1) == b"", "the CLI wrote more than the parts after %d bytes" % compared
    assert cli.wait() == 0
    print("dask test: %d patients in %.1f s" % (per_file * FILES, time.time() - started))
    # Passed: its ~1.9 GB of inputs and parts go now (pytest keeps the last
    # three runs' folders, which filled the disk of a busy machine); a failed
    # run keeps them to look at.
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_dask_dataframe_gives_the_rows_of_evaluate_frame(client):
    import dask.dataframe as dd
    graph = rubric.Graph.load(LBP)
    rows = [json.loads(l) for l in patient_lines(20000, seed=4)]
    df = pd.DataFrame(rows).set_index("id")
    ddf = dd.from_pandas(df, npartitions=8)
    procedure = "MRI lumbar spine without IV contrast"
    got = rubric.dask.evaluate(ddf, graph, procedure=procedure).compute(scheduler=client.get)
    want = graph.evaluate_frame(df, procedure=procedure)
    pd.testing.assert_frame_equal(got.sort_index(), want.sort_index())
