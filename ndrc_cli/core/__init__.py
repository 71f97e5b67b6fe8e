"""The pure core: exact numbers, immutable records and the règlement's rules.

No file, terminal, language or library of I/O here (tests/test_architecture.py
checks it): what comes in are records, what goes out are results.
"""
