"""Drive a fixed number of HTTP requests with wrk and read back what it measured.

wrk (https://github.com/wg/wrk; Debian and Ubuntu: `apt-get install wrk`) runs for a time,
not for a count, so the Lua script written here counts responses, stops its thread after
the last one, and says so on standard output; `run` then interrupts wrk (SIGINT), which
ends its timer, and reads the numbers the script prints from `done()`: responses by
status, latency percentiles (wrk's own histogram) and socket errors. wrk runs one thread
with a fixed number of open connections; with `rate` the script paces the requests to
that many per second over all connections (each request is sent at its slot or, when
every connection is busy, as soon as one is free).

The requests are given as a list and sent in turn, cycling: a list as long as the count
sends each request once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Request", "Result", "WrkMissingError", "run", "wrk_version"]

DONE = "load: done"
RESULT = "load-result "
INSTALL = (
    "wrk is not installed: on Debian or Ubuntu `apt-get install wrk`, on macOS"
    " `brew install wrk`, or build it from https://github.com/wg/wrk"
)


class WrkMissingError(RuntimeError):
    pass


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    client_cpu: float
    finished: bool
    output: str = field(repr=False, default="")

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def count(self, statuses: frozenset[int] | set[int]) -> int:
        return sum(n for status, n in self.statuses.items() if status in statuses)

    def unexpected(self, deliberate: frozenset[int] = frozenset()) -> int:
        """Responses that are neither 2xx nor deliberate, plus socket errors and timeouts."""
        bad = sum(n for s, n in self.statuses.items() if not 200 <= s < 300 and s not in deliberate)
        return bad + sum(self.socket_errors.values())


def wrk_version() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissingError(INSTALL)
    # `wrk -v` prints its version and usage, and exits 1
    done = subprocess.run([found, "-v"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split("[")[0].replace("wrk", "", 1).strip() if first else "?"


def lua_string(text: str) -> str:
    """`text` as a Lua string literal (bytes outside printable ASCII as decimal escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def script(requests: list[Request], count: int, rate: float | None = None) -> str:
    specs = []
    for request in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in request.headers)
        body = "nil" if request.body is None else lua_string(request.body)
        specs.append(
            f"  {{{lua_string(request.method)}, {lua_string(request.path)}, {{{headers}}}, {body}}},"
        )
    pacing = ""
    if rate:
        pacing = PACING.replace("RATE", repr(float(rate)))
    # the requests last: their paths and bodies may contain the other placeholders
    return (
        TEMPLATE.replace("COUNT", str(int(count)))
        .replace("DONE", lua_string(DONE + "\n"))
        .replace("RESULT", lua_string(RESULT))
        .replace("PACING", pacing)
        .replace("SPECS", "\n".join(specs))
    )


TEMPLATE = """\
local specs = {
SPECS
}
local target = COUNT
local requests = {}
local nth = 0
local seen = 0
local stopped = false
statuses = {}

function init(args)
  for i, spec in ipairs(specs) do
    requests[i] = wrk.format(spec[1], spec[2], spec[3], spec[4])
  end
end

function request()
  nth = nth % #requests + 1
  return requests[nth]
end

function response(status, headers, body)
  if stopped then return end
  seen = seen + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if seen >= target then
    stopped = true
    wrk.thread:stop()
    io.stdout:write(DONE)
    io.stdout:flush()
  end
end
PACING
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total, parts = 0, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      total = total + n
      table.insert(parts, string.format('"%s": %d', status, n))
    end
  end
  local e = summary.errors
  io.stdout:write(RESULT .. string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d,'
    .. ' "max_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d,'
    .. ' "statuses": {%s}}\\n',
    total, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
    table.concat(parts, ", ")))
  io.stdout:flush()
end
"""

PACING = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock, load_timespec *now);
]]
local clock = ffi.new("load_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local rate = RATE
local first = nil
local slot = 0

-- each request gets the next slot of a fixed schedule, whichever connection sends it
function delay()
  local now = now_ms()
  if first == nil then first = now end
  local due = first + slot * 1000 / rate
  slot = slot + 1
  if due <= now then return 0 end
  return math.floor(due - now)
end
"""


def run(
    url: str,
    requests: list[Request],
    count: int,
    connections: int,
    *,
    workdir: Path,
    rate: float | None = None,
    time_limit: int = 1800,
    timeout: int = 60,
) -> Result:
    """`count` requests to `url` (scheme, host and port; paths come from `requests`)."""
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissingError(INSTALL)
    workdir.mkdir(parents=True, exist_ok=True)
    lua = workdir / "load.lua"
    lua.write_text(script(requests, count, rate), encoding="utf-8")
    command = [
        found,
        "-t1",
        f"-c{connections}",
        f"-d{time_limit}s",
        f"--timeout={timeout}s",
        "-s",
        str(lua),
        url,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert process.stdout is not None
    lines, result, finished = [], None, False
    for line in process.stdout:
        lines.append(line)
        if line.strip() == DONE and not finished:
            finished = True
            # ends wrk's timer: it joins its thread, prints its summary and calls done()
            process.send_signal(signal.SIGINT)
        elif line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    output = "".join(lines)
    if result is None:
        raise RuntimeError(f"wrk gave no result (exit {process.returncode}):\n{output}")
    return Result(
        requests=int(result["requests"]),
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        statuses={int(k): int(v) for k, v in result["statuses"].items()},
        socket_errors={k: int(result[k]) for k in ("connect", "read", "write", "timeout")},
        client_cpu=usage.ru_utime + usage.ru_stime,
        finished=finished,
        output=output,
    )
