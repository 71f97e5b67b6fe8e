"""`python -m ndrc_cli`."""

from .entry import main

main()
