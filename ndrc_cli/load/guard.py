"""calamine in a child process: a workbook that hangs or aborts the parser
costs a message, never the process.

calamine is Rust: a damaged workbook can make it loop forever (ignoring
Ctrl-C, since it never returns to Python), ask for more memory than exists
and abort, or panic. On Linux the workbook is parsed in a forked child (the
bytes are shared for free) under limits of address space and CPU time, and
the parent waits for it no longer than a deadline; the child sends the
sheet names, then each sheet asked for as pickled batches of rows through a
pipe. Elsewhere (or with NDRC_READER=inprocess, for tests and profiling)
calamine runs in-process, its panics caught.

The child parses the sheet likely asked for first as soon as it has sent the
names, while the parent runs `meanwhile` (the bounds' scan of a large
workbook): on two cores the scan costs nothing, and its verdict, when it
refuses, is the message (the child is stopped).

Cost, measured: a class workbook, a few ms (the fork); a cohort of 100,000
rows, ~0.1-0.2 s of pickling on top of calamine's own parse, which runs in
the child while the parent grades the rows already received.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from ..core.errors import NdrcError
from ..i18n import quoted, t
from .bounds import MAX_CELLS, Unreadable
from .filekind import refuse_kind

#: Seconds the parent waits for the child: a base, and more per MB of the file.
BASE_SECONDS, SECONDS_PER_MB = 2.5, 2.0
#: Address space the child may add to what it has at the fork.
EXTRA_MEMORY = 2 << 30
#: Rows per message from the child.
BATCH = 2048


def reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _fatal(exc: BaseException) -> bool:
    """Python's own ways out; anything else calamine raises — PanicException
    (a BaseException) included — says the workbook is damaged."""
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


class Reader:
    """A workbook opened by calamine: its sheet names, hidden sheets, and
    each sheet's rows on demand (with the column its rows start at)."""

    names: list[str]
    hidden: set[str]

    def sheet(self, name: str) -> tuple[int, Iterator[list[Any]]]:
        raise NotImplementedError


#: Which sheet will be asked for first, from the names and the hidden ones
#: (None: no guess); the child parses it while the parent checks the bounds.
Chooser = Callable[[list[str], set[str]], "str | None"]


def first_visible(names: list[str], hidden: set[str]) -> str | None:
    return next((n for n in names if n not in hidden), names[0] if names else None)


def open_reader(data: bytes, name: str, meanwhile: Callable[[], None] = lambda: None,
                first: Chooser = first_visible) -> Reader:
    """Open the workbook with calamine, and run `meanwhile` (the bounds' scan)
    before calamine reads a byte — or, in a child under limits, while it
    parses the sheet `first` names. If `meanwhile` raises, the child is
    stopped and the error is the verdict."""
    if sys.platform.startswith("linux") and os.environ.get("NDRC_READER") != "inprocess":
        return _ChildReader(data, name, meanwhile, first)
    meanwhile()
    return _LocalReader(data, name)


def _corrupt(name: str, why: str) -> NdrcError:
    return NdrcError(t("book.corrupt", path=name, reason=quoted(why)))


class _LocalReader(Reader):
    def __init__(self, data: bytes, name: str) -> None:
        import python_calamine as calamine

        self.name = name
        try:
            self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = self._book.sheets_metadata
        except calamine.PasswordError:
            raise refuse_kind("encrypted", name) from None
        except BaseException as exc:  # calamine's errors carry no stable type for "damaged"
            if _fatal(exc):
                raise
            raise _corrupt(name, reason(exc)) from None
        self.names = [m.name for m in meta]
        self.hidden = {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible}

    def sheet(self, name: str) -> tuple[int, Iterator[list[Any]]]:
        try:
            data = self._book.get_sheet_by_name(name)
            if data.height * data.width > MAX_CELLS:
                raise Unreadable(t("book.oversized", path=self.name, limit=t("bound.cells", cells=MAX_CELLS)))
            return (data.start[1] if data.start else 0), self._guarded(data.iter_rows())
        except BaseException as exc:
            if _fatal(exc) or isinstance(exc, NdrcError):
                raise
            raise _corrupt(self.name, reason(exc)) from None

    def _guarded(self, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        try:
            yield from rows
        except BaseException as exc:
            if _fatal(exc):
                raise
            raise _corrupt(self.name, reason(exc)) from None


# -- the child ---------------------------------------------------------------


def _send(out: Any, message: tuple[Any, ...]) -> None:
    blob = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack("<Q", len(blob)))
    out.write(blob)


def _child(data: bytes, out_fd: int, in_fd: int, seconds: int, first: Chooser) -> None:
    import gc
    import resource

    gc.disable()  # a collection would touch (and so copy) every page of the parent's heap
    # calamine's panics print their message (and with RUST_BACKTRACE, a
    # backtrace) to stderr: a damaged workbook is ndrc's message, not that.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    with open("/proc/self/statm") as f:
        now = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (now + EXTRA_MEMORY, now + EXTRA_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    out = os.fdopen(out_fd, "wb", buffering=1 << 16)
    requests = os.fdopen(in_fd, "rb")
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = book.sheets_metadata
        _send(out, ("meta", [m.name for m in meta],
                    {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible}))
    except calamine.PasswordError:
        _send(out, ("encrypted",))
        return
    except BaseException as exc:
        _send(out, ("corrupt", reason(exc)))
        return
    finally:
        out.flush()
    # The sheet likely asked for first, parsed while the parent checks the bounds.
    ready: dict[str, Any] = {}
    try:
        likely = first([m.name for m in meta], {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible})
        if likely is not None:
            ready[likely] = book.get_sheet_by_name(likely)
    except BaseException:  # asked for, it is parsed again, and its error sent then
        ready.clear()
    while line := requests.readline():
        wanted = line.decode("utf-8", "surrogatepass").rstrip("\n").replace("\\n", "\n").replace("\\\\", "\\")
        try:
            sheet = ready.pop(wanted) if wanted in ready else book.get_sheet_by_name(wanted)
            if sheet.height * sheet.width > MAX_CELLS:
                _send(out, ("oversized",))
                continue
            _send(out, ("start", sheet.start[1] if sheet.start else 0))
            batch = []
            for row in sheet.iter_rows():
                batch.append(row)
                if len(batch) >= BATCH:
                    _send(out, ("rows", batch))
                    batch = []
            _send(out, ("rows", batch))
            _send(out, ("end",))
        except BaseException as exc:
            _send(out, ("corrupt", reason(exc)))
        finally:
            out.flush()


def _stop(pid: int, fds: tuple[int, ...]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass


class _ChildReader(Reader):
    def __init__(self, data: bytes, name: str, meanwhile: Callable[[], None], first: Chooser) -> None:
        self.name = name
        self.seconds = BASE_SECONDS + SECONDS_PER_MB * len(data) / (1 << 20)
        self._waited = 0.0
        self._pending: Iterator[list[Any]] | None = None
        import resource  # noqa: F401 (imported once here, not in every child)

        import python_calamine  # noqa: F401
        from_child, to_parent = os.pipe()
        from_parent, to_child = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never back into the parent's code
            code = 0
            try:
                os.close(from_child)
                os.close(to_child)
                _child(data, to_parent, from_parent, int(self.seconds) + 1, first)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(to_parent)
        os.close(from_parent)
        self._pid, self._in, self._out = pid, from_child, to_child
        self._buffer = bytearray()
        self._finalizer = weakref.finalize(self, _stop, pid, (from_child, to_child))
        try:
            meanwhile()
        except BaseException:
            self.close()
            raise
        message = self._receive()
        if message[0] == "encrypted":
            self.close()
            raise refuse_kind("encrypted", name)
        if message[0] != "meta":
            self.close()
            raise _corrupt(name, message[1])
        self.names, self.hidden = message[1], message[2]

    def close(self) -> None:
        self._finalizer()

    def _fail(self) -> Unreadable:
        """The child took too long, or died: stop it, and say why."""
        timed_out = self._waited >= self.seconds
        self.close()
        why = t("reader.time", seconds=round(self.seconds)) if timed_out else t("reader.died")
        return Unreadable(t("book.unreadable", path=self.name, why=why))

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            remaining = self.seconds - self._waited
            if remaining <= 0 or not self._finalizer.alive:
                raise self._fail()
            started = time.monotonic()
            ready, _, _ = select.select([self._in], [], [], remaining)
            self._waited += time.monotonic() - started
            if not ready:
                self._waited = self.seconds
                raise self._fail()
            chunk = os.read(self._in, max(1 << 16, n - len(self._buffer)))
            if not chunk:
                raise self._fail()
            self._buffer += chunk
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def _receive(self) -> tuple[Any, ...]:
        size = struct.unpack("<Q", self._read(8))[0]
        message: tuple[Any, ...] = pickle.loads(self._read(size))
        return message

    def sheet(self, name: str) -> tuple[int, Iterator[list[Any]]]:
        if self._pending is not None:
            for _ in self._pending:  # a sheet left half-read: the rest is skipped
                pass
        escaped = name.replace("\\", "\\\\").replace("\n", "\\n")
        try:
            os.write(self._out, escaped.encode("utf-8", "surrogatepass") + b"\n")
        except OSError:
            raise self._fail() from None
        message = self._receive()
        if message[0] == "oversized":
            raise Unreadable(t("book.oversized", path=self.name, limit=t("bound.cells", cells=MAX_CELLS)))
        if message[0] != "start":
            raise _corrupt(self.name, message[1])
        self._pending = self._rows()
        return message[1], self._pending

    def _rows(self) -> Iterator[list[Any]]:
        while True:
            message = self._receive()
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "end":
                self._pending = None
                return
            else:
                self._pending = None
                raise _corrupt(self.name, message[1])
