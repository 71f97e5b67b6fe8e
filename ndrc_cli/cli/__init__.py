"""The command line: the entry point, the Typer application, the command
bodies (jobs), the express lane, atomic output files and the streaming grader."""
