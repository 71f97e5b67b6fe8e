#!/usr/bin/env python3
"""The pandas peer reading a workbook: what a data-literate teacher would write.

The CSV peer's own computation (`peer_pandas.results`: weighted average, the
EF1 bonus above 10, DISP leaving points and divisor, ABS, the decision), on a
sheet read with `pandas.read_excel` (openpyxl, pandas' default engine for
.xlsx). For reference beside `ndrc grade classe.xlsx`; needs pandas and
openpyxl (not ndrc dependencies).

    peer_pandas_workbook.py students.xlsx > results.csv
"""
import sys

import pandas as pd
from peer_pandas import results


def main(path: str) -> None:
    results(pd.read_excel(path, dtype=str, keep_default_na=False)).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main(sys.argv[1])
