"""The `pagesetter` command's process (进程): what a short-lived command may do to its own process
that a library must not, behind one switch.

    PAGESETTER_LEAN=0   turns every trick below off for the command (to profile, trace, debug or
                        hunt a leak); unset or any other value leaves them on. pagesetter used as
                        a library (imported, not run as the command) never plays them.

    fast exit      after the command, the standard streams are flushed and the atexit handlers
                   run, then the process ends without freeing its objects one by one (os._exit):
                   a build leaves some 10^5 of them. Not under a profiler, tracer or debugger
                   (`python -m cProfile -m pagesetter.cli build …` prints its figures after the
                   command returns), nor where atexit has no `_run_exitfuncs` (its runner is not
                   public API: without it the exit is Python's own).
    no shaper      ReportLab's canvas is imported without uharfbuzz (render.rlcanvas reads
                   `lean()`): pagesetter never asks ReportLab to shape text, and a warm build needs
                   nothing else of HarfBuzz.

Each is kept because a paired whole-process benchmark of the warm sample build shows it above the
noise; a third, the cycle collector off for the whole command, was not, and is gone (composition
pauses the collector in any case: layout.page). The figures are in docs/architecture.md ("The
command's process").
"""
from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

SWITCH = "PAGESETTER_LEAN"

_on = False  # set once by `start` (the command), read by `lean`


def start() -> bool:
    """Called by the command before it works: the tricks on, unless PAGESETTER_LEAN=0. Whether they are."""
    global _on
    _on = os.environ.get(SWITCH, "").strip() != "0"
    return _on


def lean() -> bool:
    """Whether this process is the command with its tricks on (see the module)."""
    return _on


def leave(code: object) -> NoReturn:
    """End the command with `code` (None: 0; a message: printed, 1, as Python does): fast when lean
    and nothing watches the process, else through Python's own exit."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    flush()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if not _on or _watched() or run_exit_handlers is None:
        sys.exit(code)
    run_exit_handlers()
    os._exit(code)


def _watched() -> bool:
    """A profiler, tracer or debugger is attached (sys.setprofile/settrace, or sys.monitoring)."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: cProfile, coverage, pdb use it
    return monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6))


def flush() -> None:
    """Flush stdout and stderr as Python's exit would; a reader that left (`| head`) is not an error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # (None: the process was started with it closed)
                stream.flush()
        except BrokenPipeError:  # the reader left: the work is done, the code stands
            if stream is sys.stdout:
                quiet_stdout()
        except (OSError, ValueError):
            pass


def quiet_stdout() -> None:
    """Point stdout at /dev/null so Python's exit flush does not fail on the closed pipe again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
