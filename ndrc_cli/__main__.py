"""`python -m ndrc_cli`."""

from .cli.entry import main

main()
