"""Extract the paper's per-sweep numbers (RESULTS.md Appendix A) into ``sweeps.csv``.

Run once from the repository root:
``python data/paper/extract_results.py ../shared/paper/RESULTS.md``.
The CSV is committed; this script documents where its numbers come from.
"""

import csv
import re
import sys
from pathlib import Path

SWEEP_IDS = {"A.1": "sp-small", "A.2": "sp-large", "A.3": "sp-f10", "A.4": "sp-f15",
             "A.5": "sp-f20", "A.6": "lv-zero-small", "A.7": "lv-zero-large", "A.8": "lv-five",
             "A.9": "dp", "A.10": "hh"}
METHODS = ("elm", "uswim", "aswim", "swim")
CELL = re.compile(r"([0-9.e+-]+) \[([0-9.e+-]+), ([0-9.e+-]+)\]")


def main(results_md: str) -> None:
    rows, table, vary = [], None, None
    for line in Path(results_md).read_text().splitlines():
        head = re.match(r"^### (A\.\d+) ", line)
        if head:
            table = SWEEP_IDS[head.group(1)]
            continue
        if line.startswith("#"):
            table = None
        if table and line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not cells[0][0].isdigit():
                vary = {"width": "width", "train size": "train_size", "alpha": "alpha"}[cells[0]]
                continue
            for k, method in enumerate(METHODS):
                mean, lo, hi = CELL.match(cells[1 + k]).groups()
                rows.append({"sweep": table, "vary": vary, "value": cells[0], "method": method,
                             "err_mean": mean, "err_min": lo, "err_max": hi,
                             "time_mean": cells[5 + k]})
    out = Path(__file__).with_name("sweeps.csv")
    with out.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
