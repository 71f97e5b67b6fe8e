"""The sections of `ndrc programme`, importable without the model (start-up)."""

#: Every section, in the order `--all` prints them.
SECTIONS = ("identity", "organisation", "admission", "teaching", "assessment", "exams", "result", "blocs",
            "content", "careers")
#: The one-screen overview.
OVERVIEW = ("identity", "organisation", "exams", "result", "blocs")
