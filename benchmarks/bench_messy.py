#!/usr/bin/env python3
"""A long run of messy grade sheets: is every one read right, or refused?

Draws N examples (default 5,000) from the generator of tests/messy.py — a
known class decorated with the mess of teachers' files, written as CSV,
.xlsx or .ods — runs `ndrc grade FILE -f json` and `-f csv` on each
in-process (the Typer app, called directly), and prints how many were EXACT,
REFUSED (with a position), MISREAD (exit 0 with another result) or another
defect (CSV: -f csv disagrees; UNPLACED: refused without naming a row or a
column; CRASH; BASELINE: the tidy sheet itself graded wrong), the time, the
refusals by reason and the defects by class: the kind, what differs, and the
decoration to blame (each decoration that alone gives a defect, with that
defect; --refusals does the same for refusals). Every
defect's reproducer (the sheet file and a .txt with its rows, the known
class, what ndrc said and the example's repr) is saved under --out; with
--shrink K, the K most frequent classes are searched again with only their
decoration and shrunk by hypothesis to a minimal reproducer (out/minimal/).
Random, seeded by --seed (default: a random seed, printed); prints figures
and never fails.

    python benchmarks/bench_messy.py [-n 5000] [--seed S] [--out DIR] [--format xlsx]...
                                     [--shrink K] [--no-attribute] [--refusals] [--max-pupils 8]
    python benchmarks/bench_messy.py --replay DIR/defects/0001-MISREAD.txt
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["NDRC_LANG"] = "en"
os.environ.setdefault("NDRC_CACHE_DIR", tempfile.mkdtemp(prefix="ndrc-bench-cache-"))
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import messy  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from messy import Example, Outcome  # noqa: E402


class Found(Exception):
    """The shrinking search's failure: the class it looks for."""


def save(folder: Path, stem: str, example: Example, outcome: Outcome, blame: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    example.write(folder / f"{stem}{example.suffix}")
    text = outcome.report(example)
    if blame:
        text = f"to blame: {', '.join(blame)}\n{text}"
    (folder / f"{stem}.txt").write_text(f"{text}\n\nrepr: {example!r}\n", encoding="utf-8")
    return folder / f"{stem}.txt"


def replay(path: Path) -> None:
    line = next(x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("repr: "))
    names = {name: getattr(messy, name) for name in ("Example", "Klass", "Pupil", "Mess")}
    example = eval(line[6:], {"frozenset": frozenset, **names})  # our own file's repr
    with tempfile.TemporaryDirectory() as scratch:
        outcome = messy.check(example, Path(scratch))
        print(outcome.report(example))


def shrink(key: tuple[str, str, str], blame: str, formats: tuple[str, ...], max_pupils: int, rng_seed: int,
           scratch: Path, out: Path) -> str:
    """Search again with only the decoration to blame (none for a BASELINE: the tidy sheet's), and let
    hypothesis shrink the first example of the class it finds; save it. A line saying what was found."""
    kind, signature = key[0], key[1]
    last: list[tuple[Example, Outcome]] = []

    @seed(rng_seed)
    @settings(max_examples=400, database=None, deadline=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False)
    @given(messy.examples(formats, max_pupils))
    def search(drawn: Example) -> None:
        example = messy.restrict(drawn, () if blame == "the tidy sheet" else (blame,))
        outcome = messy.check(example, scratch)
        if outcome.kind == kind and outcome.signature == signature:
            last.append((example, outcome))
            raise Found

    try:
        search()
    except Found:
        example, outcome = last[-1]  # hypothesis replays the minimal example last
        stem = f"{kind}-{blame}-{signature}".replace(" ", "_").replace("'", "").replace("/", "_")[:80]
        path = save(out / "minimal", stem, example, outcome, (blame,))
        return f"  {kind} · {signature} · {blame}: {path}"
    return f"  {kind} · {signature} · {blame}: not found again in 400 examples"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--examples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="where reproducers go (default: a new temporary folder)")
    ap.add_argument("--format", action="append", choices=messy.FORMATS, dest="formats",
                    help="a format to draw (repeatable; default: all)")
    ap.add_argument("--max-pupils", type=int, default=8)
    ap.add_argument("--shrink", type=int, default=0, metavar="K", help="shrink the K most frequent defect classes")
    ap.add_argument("--no-attribute", action="store_true", help="do not look for the decoration to blame")
    ap.add_argument("--refusals", action="store_true", help="also find the decoration each refusal is due to")
    ap.add_argument("--replay", type=Path, help="run one saved reproducer again")
    args = ap.parse_args()
    if args.replay:
        replay(args.replay)
        return
    formats = tuple(args.formats or messy.FORMATS)
    rng_seed = args.seed if args.seed is not None else random.randrange(2**32)
    out = args.out or Path(tempfile.mkdtemp(prefix="ndrc-messy-"))
    scratch = Path(tempfile.mkdtemp(prefix="ndrc-messy-scratch-"))
    print(f"seed {rng_seed}; {args.examples} examples of {', '.join(formats)}; reproducers in {out}", flush=True)

    kinds: Counter[str] = Counter()
    by_format: dict[str, Counter[str]] = defaultdict(Counter)
    classes: Counter[tuple[str, str, str]] = Counter()  # (kind, signature, decoration)
    class_formats: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    first_of: dict[tuple[str, str, str], Path] = {}
    refusals: Counter[tuple[str, str, str]] = Counter()  # (REFUSED, reason, decoration), with --refusals
    reasons: Counter[str] = Counter()
    decorations: Counter[str] = Counter()
    defects = 0
    started = time.perf_counter()
    checking = 0.0

    @seed(rng_seed)
    @settings(max_examples=args.examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(messy.examples(formats, args.max_pupils))
    def run(example: Example) -> None:
        nonlocal defects, checking
        t = time.perf_counter()
        outcome = messy.check(example, scratch)
        checking += time.perf_counter() - t
        kinds[outcome.kind] += 1
        by_format[example.fmt][outcome.kind] += 1
        decorations.update(messy.applied(example.mess))
        total = sum(kinds.values())
        if total % 500 == 0:
            print(f"  {total} examples, {time.perf_counter() - started:.0f} s", flush=True)
        if outcome.kind == messy.REFUSED and outcome.json is not None:
            reasons[messy.refusal_reason(outcome.json.stderr)] += 1
            if args.refusals:
                refusals.update(messy.blame(example, outcome, scratch))
        if outcome.ok:
            return
        defects += 1
        keys = [] if args.no_attribute else messy.blame(example, outcome, scratch)
        path = save(out / "defects", f"{defects:05d}-{outcome.kind}", example, outcome,
                    tuple(f"{d} ({kind}: {signature})" for kind, signature, d in keys))
        for key in keys or [(outcome.kind, outcome.signature, "?")]:
            classes[key] += 1
            class_formats[key][example.fmt] += 1
            first_of.setdefault(key, path)

    run()
    elapsed = time.perf_counter() - started
    total = sum(kinds.values())
    print(f"\n{total} examples in {elapsed:.1f} s ({1000 * elapsed / max(total, 1):.0f} ms each, "
          f"{1000 * checking / max(total, 1):.0f} ms of them in check, the rest mostly attribution); "
          f"seed {rng_seed}")
    print("\n| outcome | " + " | ".join(formats) + " | all |")
    print("|---|" + "---:|" * (len(formats) + 1))
    for kind in messy.KINDS:
        print(f"| {kind} | " + " | ".join(str(by_format[f][kind]) for f in formats) + f" | {kinds[kind]} |")
    print(f"\nexact {kinds[messy.EXACT]} / refused {kinds[messy.REFUSED]} / MISREAD {kinds[messy.MISREAD]}"
          f" / other defects {total - kinds[messy.EXACT] - kinds[messy.REFUSED] - kinds[messy.MISREAD]}")
    if classes:
        print("\nDefects by class: kind · what differs · the decoration that alone gives it (an example counts once"
              " per decoration to blame; '(with others)': only in combination):")
        for key, count in classes.most_common():
            formats_seen = ", ".join(f"{f} {n}" for f, n in class_formats[key].most_common())
            print(f"  {count:>5}  {key[0]} · {key[1]} · {key[2]}  [{formats_seen}]  e.g. {first_of[key]}")
    print("\nRefusals by reason (the first problem of each):")
    for reason, count in reasons.most_common(15):
        print(f"  {count:>5}  {reason}")
    if refusals:
        print("\nRefusals by the decoration that alone is refused (reason · decoration):")
        for (_, reason, decoration), count in refusals.most_common(25):
            print(f"  {count:>5}  {reason} · {decoration}")
    print("\nDecorations drawn (examples with each):")
    print("  " + "; ".join(f"{name} {count}" for name, count in decorations.most_common()))
    if args.shrink:
        print(f"\nMinimal reproducers of the {args.shrink} most frequent classes:")
        # '… (with others)': a combination, not searched again; '?': not attributed.
        for key, _ in [(k, n) for k, n in classes.most_common() if not k[2].endswith(")") and k[2] != "?"][
                :args.shrink]:
            print(shrink(key, key[2], formats, args.max_pupils, rng_seed, scratch, out), flush=True)


if __name__ == "__main__":
    main()
