"""The benchmark harness runs (small scale), so it cannot rot; its figures are not asserted."""

import subprocess
import sys

from benchmarks.engines import NAMES
from benchmarks.run import main
from tests.conftest import ROOT
from tests.servers import servers_required


def test_the_small_benchmark_prints_every_figure(capsys):
    assert main(["--small"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line[:78].strip() for line in lines[1:]]
    assert names[:5] == ["first render: overview", "warm rerun: overview", "first render: uec", "warm rerun: uec",
                         "drill-down selection: uec"]
    assert any(name.startswith("first import: 2 months of RTT") for name in names)
    assert any("patient-level A&E deep dive" in name for name in names)
    # then the same patient-level queries on each engine, side by side, or why an engine was skipped
    title = next(n for n, line in enumerate(lines) if line.startswith("Patient-level figures on each engine"))
    assert all(name in lines[title + 1] for name in NAMES.values())
    headline = next(line for line in lines[title:] if line.startswith("headline counts, a month"))
    skipped = [line for line in lines[title:] if ": skipped, " in line]
    assert len(headline.split()[4:]) == len(NAMES)  # a figure, or – for a skipped engine, in each column
    assert not (skipped and servers_required()), skipped  # in CI every engine runs


def test_the_load_benchmark_runs_against_a_real_server():
    # run as a user runs it, in a process of its own (it drives its own event loop)
    result = subprocess.run([sys.executable, "benchmarks/load.py", "--small", "--client", "protocol", "--think", "0.5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "5 sessions: errors (timeouts, page errors, exceptions shown)" in out
    assert "p95 at 5 sessions / p95 at 1 session" in out
    finished = int(next(line for line in out.splitlines() if line.startswith("5 sessions: finished pages"))[78:].split()[0]
                   .replace(",", ""))
    assert finished > 0  # pages really were opened and finished
