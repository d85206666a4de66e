"""KerasTuner's distributed mode through `digitpad tune`: a chief and two workers as local
processes on tiny data. The workers run the trials, the chief hands them out, then reports
every trial with the worker that ran it and saves the best model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from digitpad.core.resources import bundled_mnist_path

TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_listening(port: int, chief: subprocess.Popen[str], timeout: float) -> None:
    """Until the chief's oracle accepts connections (or the chief died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if chief.poll() is not None:
            raise AssertionError(f"the chief ended early: {chief.communicate()[1]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise AssertionError("the chief never listened")


def test_a_chief_and_two_workers_share_the_trials(tmp_path: Path) -> None:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"], data["y"]
    np.savez(tmp_path / "tiny.npz", x_train=x[:300], y_train=y[:300], x_test=x[300:400], y_test=y[300:400])
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
           "DIGITPAD_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
           "KERASTUNER_ORACLE_IP": "127.0.0.1", "KERASTUNER_ORACLE_PORT": str(port)}
    env.pop("DIGITPAD_LIBRARY", None)
    command = [sys.executable, "-m", "digitpad", "tune", "--data", "tiny.npz", "--arch", "mlp", "--max-trials", "2",
               "--epochs", "1", "--vary", "learning_rate=1e-3:1e-2", "--directory", "shared", "--json"]

    def start(tuner_id: str) -> subprocess.Popen[str]:
        return subprocess.Popen(command, cwd=tmp_path, env={**env, "KERASTUNER_TUNER_ID": tuner_id},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    processes = [start("chief")]
    try:
        wait_for_listening(port, processes[0], TIMEOUT_S)
        processes += [start("tuner0"), start("tuner1")]
        outputs = [process.communicate(timeout=TIMEOUT_S) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    chief, worker0, worker1 = (json.loads(stdout) for stdout, _ in outputs)

    assert (chief["role"], worker0["role"], worker1["role"]) == ("chief", "tuner0", "tuner1")
    # The workers ran the two trials between them (usually one each; which worker gets which is
    # the oracle's first come, first served) and saved nothing; the chief reports both as run.
    run_by_workers = {trial["trial_id"]: trial for worker in (worker0, worker1) for trial in worker["trials"]}
    assert len(worker0["trials"]) + len(worker1["trials"]) == 2
    assert sorted(run_by_workers) == ["0", "1"]
    assert all(trial["tuner"] == "tuner0" for trial in worker0["trials"])
    assert all(trial["tuner"] == "tuner1" for trial in worker1["trials"])
    assert worker0["best"] is None and worker1["best"] is None
    assert {trial["trial_id"]: trial for trial in chief["trials"]} == run_by_workers
    best = chief["best"]
    assert best["val_accuracy"] == max(trial["val_accuracy"] for trial in chief["trials"])
    assert Path(best["path"]).is_file()
    assert Path(best["path"]).parent == tmp_path / "home" / "data" / "digitpad" / "models"
