"""The real server (`nadzor serve`, 4 workers) on loopback: bounded, not timed.

- a 1 GiB upload is refused from its headers, before its body is read or written anywhere;
- wrong receipt codes are limited at 10 per window in total across the workers.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.store

GIB = 1024**3


@dataclass
class Served:
    port: int
    root: Path
    scratch: Path
    evidence: Path

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def post_json(self, path: str, body: object) -> tuple[int, dict[str, object]]:
        connection = self.connect()
        try:
            connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    scratch, evidence = root / "tmp", root / "evidence"
    scratch.mkdir()
    env = {
        **os.environ,
        "NADZOR_DATABASE_URL": f"sqlite:///{root / 'nadzor.db'}",
        "NADZOR_EVIDENCE_DIR": str(evidence),
        "TMPDIR": str(scratch),
    }
    env.pop("NADZOR_DEBUG", None)
    init = subprocess.run(
        [sys.executable, "-m", "nadzor", "init"], env=env, capture_output=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nadzor", "serve", "--port", str(port), "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield Served(port, root, scratch, evidence)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_a_1_gib_upload_is_refused_without_touching_the_disk(served: Served) -> None:
    """Issue: an anonymous 1 GiB multipart POST was written to disk in full first."""
    boundary = "nadzorboundary"
    head = (
        "POST /complaints/new?lang=en HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{served.port}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {GIB}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments";'
        ' filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n'
    ).encode()
    sent = 0
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        sock.sendall(head + part)
        sock.settimeout(0.5)
        answer = b""
        chunk = bytes(64 * 1024)
        # at most 8 MiB of the gigabyte: the answer must come long before
        while sent < 8 * 1024 * 1024 and not answer:
            try:
                sock.sendall(chunk)
                sent += len(chunk)
                answer = sock.recv(4096, socket.MSG_DONTWAIT)
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
        sock.settimeout(30)
        while True:
            try:
                more = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert "The request is too large" in answer.decode("utf-8", "replace")
    assert sent < 8 * 1024 * 1024
    assert _files_under(served.scratch) == []
    assert _files_under(served.evidence) == []


def test_wrong_codes_are_limited_in_total_across_the_workers(served: Served) -> None:
    """Issue: each worker counted on its own (4 workers: 40 tries per window)."""
    status, created = served.post_json(
        "/api/v1/complaints", {"category": "abuse", "text": "Избивают в казарме."}
    )
    assert status == 201, created
    code = str(created["receipt_code"])
    wrong = f"{(int(code) + 1) % 10**16:016d}"
    answers = [served.post_json("/api/v1/complaints/status", {"receipt_code": wrong})[0]]
    answers += [
        served.post_json("/api/v1/complaints/status", {"receipt_code": wrong})[0] for _ in range(29)
    ]
    assert answers.count(404) == 10, answers
    assert answers.count(429) == 20, answers
    assert served.post_json("/api/v1/complaints/status", {"receipt_code": code})[0] == 429
