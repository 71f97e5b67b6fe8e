"""Renderers: the only code that turns results into text. Each format has its
own module so that a command imports only what it prints (Rich only for
tables)."""
