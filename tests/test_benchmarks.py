"""The benchmark harness runs (small scale), so it cannot rot; its figures are not asserted."""

from benchmarks.run import main


def test_the_small_benchmark_prints_every_figure(capsys):
    assert main(["--small"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line[:78].strip() for line in lines[1:]]
    assert names[:5] == ["first render: overview", "warm rerun: overview", "first render: uec", "warm rerun: uec",
                         "drill-down selection: uec"]
    assert any(name.startswith("first import: 2 months of RTT") for name in names)
    assert any("patient-level A&E deep dive" in name for name in names)


def test_the_load_benchmark_runs_against_a_real_server(capsys):
    from benchmarks.load import main as load
    assert load(["--small", "--client", "protocol", "--think", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "5 sessions: errors (timeouts, page errors, exceptions shown)" in out
    assert "p95 at 5 sessions / p95 at 1 session" in out
    finished = int(next(line for line in out.splitlines() if line.startswith("5 sessions: finished pages"))[78:].split()[0]
                   .replace(",", ""))
    assert finished > 0  # pages really were opened and finished
