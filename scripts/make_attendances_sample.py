"""Write the bundled sample of patient-level A&E attendances (``sample_data/ae_attendances.csv``):
36,000 synthetic attendances at the sites of ``config/organisations.yaml`` over the six months to
the sample's latest month, from a fixed seed, so the same command always writes the same file.
``make_sample_data.py`` calls it with the other extracts; the generator itself is
``benchmarks/generate_attendances.py``, which writes the same layout at any size.

    python scripts/make_attendances_sample.py [--out sample_data] [--to 2026-10] [--config config]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_attendances import write_attendances  # noqa: E402

FILE = "ae_attendances.csv"
ROWS = 36_000
MONTHS = 6
SEED = 20261112


def write_sample(out: Path, last: str, config: Path) -> Path:
    return write_attendances(out / FILE, ROWS, last, MONTHS, SEED, config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_data", help="folder to write the CSV to")
    parser.add_argument("--to", default="2026-10", help="the latest month, YYYY-MM")
    parser.add_argument("--config", type=Path, default=ROOT / "config", help="the config folder whose sites to use")
    args = parser.parse_args(argv)
    print(f"{write_sample(args.out, args.to, args.config)}: {ROWS} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
