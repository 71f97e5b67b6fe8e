"""Typer's and Click's own words (usage line, help option, error messages)
in the interface language.

Typer marks its words for gettext (`_("Options")`) but reads the process
locale, not `--lang`, and needs compiled .mo files; the Click it vendors
builds the rest with f-strings. So: Typer's gettext function is pointed at
our catalog, the usage prefix and help option come from our command
classes, and a usage error is shown by `show_usage_error`, which reads the
exception's fields, or, for the few messages Click only gives as text,
matches their known shapes. tests/test_french.py runs every shape in French:
a Typer upgrade that rewords one fails a test rather than leaking English.
"""

from __future__ import annotations

import ast
import contextlib
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import typer.core
from typer import _click
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

from ..core.controls import one_line
from ..i18n import t

# Typer's gettext message ids, and our catalog keys for them.
_TYPER_WORDS = {
    "Options": "click.options",
    "Arguments": "click.arguments",
    "Commands": "click.commands",
    "required": "click.required",
    "default: {default}": "click.default",
    "env var: {var}": "click.env_var",
    "(dynamic)": "click.dynamic",
    "Aborted!": "click.aborted",
    "Missing command.": "click.missing_command",
    "No such command {name!r}.": "click.no_such_command",
}


def _typer_gettext(message: str) -> str:
    key = _TYPER_WORDS.get(message)
    if key is None:
        return message
    # The catalog's text keeps Typer's placeholders, which Typer fills itself;
    # French quotes the command name in « », so `{name!r}` becomes `{name}`.
    return t(key, default="{default}", var="{var}", name="{name}")


def install() -> None:
    """Point Typer's gettext lookups at our catalog (before any help is built)."""
    typer.core._ = _typer_gettext  # type: ignore[attr-defined]


class _Formatter(_click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("click.usage") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        # Click writes `Options:`; French puts a no-break space before the colon.
        self.write(f"{'':>{self.current_indent}}{t('click.heading', name=heading)}\n")


class Context(typer.Context):
    formatter_class = _Formatter


def _translate_help_option(command: _click.Command, ctx: _click.Context) -> Any:
    option = _click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = t("click.help_option")
    return option


class Command(typer.core.TyperCommand):
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = t("click.options_metavar")

    def get_help_option(self, ctx: _click.Context) -> Any:
        return _translate_help_option(self, ctx)


_COMPLETION_HELP = {"install_completion": "click.install_completion", "show_completion": "click.show_completion"}


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """A broken pipe while Click prints help is no error: the reader read what it
    wanted (Typer would exit 1)."""
    try:
        yield
    except BrokenPipeError:
        from .terminal import quiet_stdout

        quiet_stdout()
        raise typer.Exit(0) from None


class Group(typer.core.TyperGroup):
    """The `ndrc` group: its words translated, and its usage errors shown by
    `show_usage_error` for the in-process test runner as for the console."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = t("click.command_metavar")
        self.options_metavar = t("click.options_metavar")

    def get_params(self, ctx: _click.Context) -> list[_click.Parameter]:
        params = super().get_params(ctx)
        for param in params:  # Typer adds these two with English help
            if param.name in _COMPLETION_HELP and isinstance(param, typer.core.TyperOption):
                param.help = t(_COMPLETION_HELP[param.name])
        return params

    def get_help_option(self, ctx: _click.Context) -> Any:
        return _translate_help_option(self, ctx)

    def make_context(self, info_name: str | None, args: list[str], parent: _click.Context | None = None,
                     **extra: Any) -> _click.Context:
        with _reader_may_leave():  # `ndrc --help | head -1`
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: _click.Context) -> Any:
        with _reader_may_leave():  # `ndrc grade --help | head -1`
            return super().invoke(ctx)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        if args is not None:  # the console script did it already; the in-process runner did not
            from .entry import lang_first

            args = lang_first(list(args))[1]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError as exc:
            _click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except UsageError as exc:
            sys.stderr.write(show_usage_error(exc))
            sys.exit(exc.exit_code)
        except ClickException as exc:
            sys.stderr.write(one_line(t("err.prefix", message=exc.format_message())) + "\n")
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write(t("click.aborted") + "\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


_WHOLE_NUMBER = re.compile(r"\s*[+-]?[0-9]+\s*")


class AsciiInt(_click.types.IntParamType):
    """A whole number written with the digits 0 to 9: Python's `int` also reads
    full-width (２０２６) and Arabic-Indic (٢٠٢٦) digits, and `2_026`."""

    def convert(self, value: Any, param: _click.Parameter | None, ctx: _click.Context | None) -> Any:
        if isinstance(value, str) and not _WHOLE_NUMBER.fullmatch(value) and (
                not value.isascii() or "_" in value):
            self.fail(t("opt.ascii_digits", value=value), param, ctx)
        return super().convert(value, param, ctx)


def _shown(text: str) -> str:
    """A value as Click quoted it (`'zz'`), unquoted for our own quotes."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _choices(text: str) -> str:
    return ", ".join(_shown(part) for part in text.split(", "))


# Messages Click builds as text only: (shape, catalog key, field readers).
_SHAPES: list[tuple[re.Pattern[str], str, dict[str, Callable[[str], str]]]] = [
    (re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\.", re.S), "click.not_one_of",
     {"value": _shown, "choices": _choices}),
    (re.compile(r"(?P<value>.+) is not a valid int(eger)?\.", re.S), "click.not_integer", {"value": _shown}),
    (re.compile(r"(?P<value>.+) is not a valid float\.", re.S), "click.not_number", {"value": _shown}),
    (re.compile(r"(?P<value>.+) is not a valid boolean\..*", re.S), "click.not_boolean", {"value": _shown}),
    (re.compile(r"(?P<value>.+) is not in the range (?P<range>.+)\.", re.S), "click.out_of_range", {}),
    (re.compile(r"Option (?P<name>.+) requires an argument\."), "click.needs_value", {"name": _shown}),
    (re.compile(r"Option (?P<name>.+) requires (?P<count>\d+) arguments\."), "click.needs_values", {"name": _shown}),
    (re.compile(r"Option (?P<name>.+) does not take a value\."), "click.takes_no_value", {"name": _shown}),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S), "click.extra_args", {}),
]


def translate(message: str) -> str:
    """One of Click's text-only messages in the interface language (unchanged
    when its shape is unknown: tests/test_french.py keeps the list complete)."""
    for shape, key, readers in _SHAPES:
        match = shape.fullmatch(message)
        if match:
            fields = {name: readers.get(name, str)(value) for name, value in match.groupdict().items()}
            return t(key, **fields)
    return message


def _param_name(exc: BadParameter) -> str:
    """`--format / -f` for an option, `SHEET` for an argument."""
    param = exc.param
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if param is None:
        return ""
    if isinstance(param, typer.core.TyperArgument) or param.param_type_name == "argument":
        return str(param.metavar or param.name or "").upper()
    return " / ".join(param.opts)


def message_of(exc: UsageError) -> str:
    """The error's message, in the interface language."""
    if isinstance(exc, MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        return t("click.missing_argument" if kind == "argument" else "click.missing_option", name=_param_name(exc))
    if isinstance(exc, BadParameter):
        name = _param_name(exc)
        text = translate(exc.message)
        return t("click.invalid_value", name=name, message=text) if name else text
    if isinstance(exc, NoSuchOption):
        text = t("click.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += " " + t("click.did_you_mean", options=", ".join(sorted(exc.possibilities)))
        return text
    return translate(exc.message)  # BadOptionUsage, extra arguments, Typer's own (already translated)


def show_usage_error(exc: UsageError) -> str:
    """What Click's `UsageError.show` prints (usage line, hint, error), in the
    interface language."""
    lines = []
    ctx = exc.ctx
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(t("click.try_help", command=f"{ctx.command_path} {ctx.help_option_names[0]}"))
        lines.append("")
    # The message echoes what was typed (`ndrc $'\x1bc'`): one line, its controls shown.
    lines.append(one_line(t("err.prefix", message=message_of(exc))))
    return "\n".join(lines) + "\n"
