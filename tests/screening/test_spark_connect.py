"""Spark Connect: the engine as a thin client of a Connect server (`sc://HOST:PORT`), which
has no RDDs and no SparkContext on the client side; the findings are the same as DuckDB's."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest

from nadzor.screening import ScreenRequest, screen
from tests.conftest import EXAMPLES
from tests.screening.test_engines import RULEBOOK, _same_outputs

# How long a Connect server may take to start listening on a loaded two-core machine: a
# limit on waiting for it, not a measurement.
_START_LIMIT = 240.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def connect_url(spark_spec: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Spark Connect server in local mode, started for these tests as PySpark's
    `start-connect-server.sh` starts one (in the foreground), and stopped after them."""
    if spark_spec.startswith("sc://"):
        yield spark_spec  # the tests were pointed at a server already
        return
    import pyspark

    missing = [m for m in ("grpc", "grpc_status", "zstandard") if find_spec(m) is None]
    if missing:
        why = f"the Spark Connect client needs {', '.join(missing)} (pip install 'nadzor[spark]')"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    home = Path(pyspark.__file__).parent
    submit = home / "bin" / "spark-submit"
    port = _free_port()
    logs = tmp_path_factory.mktemp("connect")
    env = os.environ | {
        "SPARK_HOME": str(home),
        "SPARK_CONNECT_MODE": "0",
        "PYSPARK_PYTHON": sys.executable,
    }
    env.pop("SPARK_REMOTE", None)
    command = [
        "bash",
        str(submit),
        "--class",
        "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--name",
        "nadzor tests",
        "--master",
        "local[2]",
        "--conf",
        f"spark.connect.grpc.binding.port={port}",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.driver.memory=1g",
    ]
    with (logs / "server.log").open("wb") as log:
        server = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + _START_LIMIT
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                text = (logs / "server.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"the Spark Connect server did not start:\n{text}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        from nadzor.screening._engine_spark import _stop_session

        _stop_session()  # the client session, before its server goes
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(logs, ignore_errors=True)


@pytest.mark.spark
@pytest.mark.parametrize("where", ["path", "url"])
def test_an_example_register_screened_through_spark_connect(
    connect_url: str, tmp_path: Path, where: str
) -> None:
    """The register as a path (read by nadzor, sent to the server as Arrow data) and as a
    URL (read by the server itself)."""
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    reports = {}
    for name, engine in (("duck", "duckdb"), ("connect", connect_url)):
        out = tmp_path / name
        out.mkdir()
        given = register.as_uri() if name == "connect" and where == "url" else str(register)
        reports[name] = screen(
            ScreenRequest(
                register=given,
                rulebook=RULEBOOK,
                out=out / "findings.csv",
                rejects=out / "rejects.csv",
                summary=out / "summary.csv",
                engine=engine,
            )
        )
    duck, connect = reports["duck"], reports["connect"]
    assert (connect.rows_read, connect.screened, connect.rejected) == (
        duck.rows_read,
        duck.screened,
        duck.rejected,
    )
    assert connect.rules == duck.rules and connect.findings == duck.findings > 0
    _same_outputs(tmp_path / "duck", tmp_path / "connect")
