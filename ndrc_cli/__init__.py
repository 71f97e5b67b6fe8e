"""ndrc: exact BTS NDRC exam results from the grade sheets teachers already have."""

__version__ = "0.2.0"
