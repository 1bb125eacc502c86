"""Runs several `dxtrack` command lines in one new process, as the console script runs each: for
test_fresh_checkout, whose command lines each need only a process with no database, not a process
of their own (starting Python and Django costs about 0,7 s of CPU a process, the command itself a
few hundredths).

Reads a JSON list of {"args": [...], "stdin": "..."} on its standard input and writes, as its last
line, a JSON list of {"returncode", "stdout", "stderr"}: what a process of its own would have
exited with and printed. An exception that escapes a command is printed as the interpreter prints
it (a traceback, exit status 1)."""

import contextlib
import io
import json
import sys
import traceback


def _run(args: list[str], stdin: str) -> dict:
    from dxtrack.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["dxtrack", *args])
            except SystemExit as exit_:
                code = 0 if exit_.code is None else exit_.code
                if not isinstance(code, int):  # sys.exit("message"): printed, status 1
                    print(code, file=sys.stderr)
                    code = 1
            except BaseException:  # (printed as the interpreter prints it, then exit status 1)
                traceback.print_exc()
                code = 1
    finally:
        sys.stdin = saved_stdin
    return {"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main() -> None:
    runs = json.loads(sys.stdin.read())
    # (each command's django.setup() configures logging again, inside its redirection: its log
    # lines go to its own standard error, as in a process of its own)
    results = [_run(run["args"], run.get("stdin", "")) for run in runs]
    sys.stdout.write("\n" + json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
