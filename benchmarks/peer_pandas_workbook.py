#!/usr/bin/env python3
"""The pandas peer reading a workbook: what a data-literate teacher would write.

The same vectorised computation as the CSV peer (weighted average, the EF1
bonus above 10, DISP leaving points and divisor, ABS, the decision), on a
sheet read with `pandas.read_excel` (openpyxl, pandas' default engine for
.xlsx). For reference beside `ndrc grade classe.xlsx`; needs pandas and
openpyxl (not ndrc dependencies).

    peer_pandas_workbook.py students.xlsx > results.csv
"""
import sys

import numpy as np
import pandas as pd

COEF = {"E1": 3, "E2": 3, "E3": 3, "E4": 5, "E5": 4, "E6": 3}
PRO = ["E4", "E5", "E6"]


def main(path: str) -> None:
    df = pd.read_excel(path, dtype=str, keep_default_na=False)
    units = list(COEF)
    raw = df[units + ["EF1"]].apply(lambda c: c.str.strip().str.upper())
    absent = (raw[units] == "ABS").any(axis=1)
    disp = raw[units] == "DISP"
    grades = raw.apply(lambda c: pd.to_numeric(c.str.replace(",", ".", regex=False), errors="coerce"))
    coef = pd.Series(COEF)
    graded = grades[units].notna() | disp | (raw[units] == "ABS")
    missing = ~graded.all(axis=1)
    weights = (~disp).astype(float) * coef
    points = (grades[units].fillna(0) * coef).sum(axis=1)
    bonus = (grades["EF1"].fillna(0) - 10).clip(lower=0)
    divisor = weights.sum(axis=1)
    avg = (points + bonus) / divisor
    pro_avg = (grades[PRO].fillna(0) * coef[PRO]).sum(axis=1) / weights[PRO].sum(axis=1)
    decision = np.select(
        [missing, absent, avg >= 10, (avg >= 8) & (pro_avg >= 10)],
        ["incomplet", "absent", "admis", "controle"],
        default="ajourne",
    )
    pd.DataFrame({"id": df["id"], "average": avg.round(2), "decision": decision}).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main(sys.argv[1])
