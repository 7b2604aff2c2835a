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
