"""Large synthetic inputs in NHS England's published layouts, generated on demand (never
committed): RTT full CSV extracts (121 columns; about 180,000 rows a month at full size) and
monthly A&E CSVs. The figures are random; the layouts, sizes and quirks (CRLF, blank bands for
Part 3, quoted names with commas) are the publications'.

    python benchmarks/generate.py OUT --months 24 --rtt-rows 180000
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

BANDS = [f"Gt {i:02d} To {i + 1:02d} Weeks SUM 1" for i in range(104)] + ["Gt 104 Weeks SUM 1"]
RTT_HEADER = ["Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code", "Provider Org Name",
              "Commissioner Parent Org Code", "Commissioner Parent Name", "Commissioner Org Code",
              "Commissioner Org Name", "RTT Part Type", "RTT Part Description", "Treatment Function Code",
              "Treatment Function Name", *BANDS, "Total", "Patients with unknown clock start date", "Total All"]
PARTS = ["Part_1A", "Part_1B", "Part_2", "Part_2A", "Part_3"]
FUNCTIONS = [f"C_{n}" for n in range(100, 200, 10)] + ["C_999"]
AE_HEADER = ["Period", "Org Code", "Parent Org", "Org name", "A&E attendances Type 1", "A&E attendances Type 2",
             "A&E attendances Other A&E Department", "A&E attendances Booked Appointments Type 1",
             "A&E attendances Booked Appointments Type 2", "A&E attendances Booked Appointments Other Department",
             "Attendances over 4hrs Type 1", "Attendances over 4hrs Type 2", "Attendances over 4hrs Other Department",
             "Attendances over 4hrs Booked Appointments Type 1", "Attendances over 4hrs Booked Appointments Type 2",
             "Attendances over 4hrs Booked Appointments Other Department",
             "Patients who have waited 4-12 hs from DTA to admission",
             "Patients who have waited 12+ hrs from DTA to admission", "Emergency admissions via A&E - Type 1",
             "Emergency admissions via A&E - Type 2", "Emergency admissions via A&E - Other A&E department",
             "Other emergency admissions"]


def months(count: int, last: str = "2026-03") -> list[pd.Period]:
    return list(pd.period_range(end=pd.Period(last, freq="M"), periods=count, freq="M"))


def rtt_month(path: Path, month: pd.Period, rows: int, rng: np.random.Generator) -> None:
    providers = [f"R{a}{b}" for a in "ABCDEFGHJK" for b in "ABCDEFGHJKLMNPQRSTUVWXY"][:220]
    commissioners = [f"{n:02d}{c}" for n in range(1, 100) for c in "ABCDEFGHJK"][:120]
    label = f"RTT-{month.strftime('%B')}-{month.year}"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(RTT_HEADER)
        counts = rng.poisson(3.0, size=(rows, 105))
        for i in range(rows):
            part = PARTS[i % len(PARTS)]
            function = FUNCTIONS[(i // len(PARTS)) % len(FUNCTIONS)]
            provider = providers[(i // 55) % len(providers)]
            commissioner = commissioners[(i // 11) % len(commissioners)]
            bands = [""] * 105 if part == "Part_3" else [str(c) for c in counts[i]]
            total = int(counts[i].sum())
            writer.writerow([label, "Q" + provider[1:], "AN ICB", provider, f"HOSPITAL {provider}, TRUST",
                             "Q" + commissioner[:2], "AN ICB", commissioner, f"SUB-ICB {commissioner}", part,
                             "Pathways", function, "Total" if function == "C_999" else f"Service {function}", *bands,
                             "" if part in ("Part_2", "Part_2A", "Part_3") else str(total), "", str(total)])


def ae_month(path: Path, month: pd.Period, rng: np.random.Generator, organisations: int = 200) -> None:
    label = f"MSitAE-{month.strftime('%B').upper()}-{month.year}"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(AE_HEADER)
        for n in range(organisations):
            arrivals = rng.poisson([9000, 300, 5000, 400, 0, 300])
            over = np.minimum(arrivals, rng.poisson(arrivals * 0.25))
            writer.writerow([label, f"R{n:02d}", "NHS ENGLAND NORTH WEST ", f"TRUST {n}", *arrivals, *over,
                             *rng.poisson([800, 300, 3000, 0, 0, 1200])])
        writer.writerow([label, "TOTAL", "TOTAL", "TOTAL", *([0] * 18)])


def generate(out: Path, count: int, rtt_rows: int, seed: int = 20261124) -> tuple[list[Path], list[Path]]:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rtt, ae = [], []
    for month in months(count):
        rtt.append(out / f"RTT-{month.strftime('%B-%Y')}-full-extract.csv")
        ae.append(out / f"MSitAE_{month}.csv")
        if not rtt[-1].exists():
            rtt_month(rtt[-1], month, rtt_rows, rng)
        if not ae[-1].exists():
            ae_month(ae[-1], month, rng)
    return rtt, ae


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--rtt-rows", type=int, default=180_000)
    args = parser.parse_args(argv)
    rtt, ae = generate(args.out, args.months, args.rtt_rows)
    size = sum(p.stat().st_size for p in rtt + ae) / 1e6
    print(f"{len(rtt)} RTT and {len(ae)} A&E files in {args.out} ({size:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
