"""``python -m rnnshape``, and the ``rnnshape`` console script: the command-line interface
run as a process of its own.

A process that only runs one command skips two costs that buy it nothing (together
more than rnnshape's own start-up): the cyclic garbage collector walking every object
that importing the CLI creates (none of it is garbage), and the interpreter's teardown
after the output is written (freeing each module and object one by one just before
the operating system frees the whole process). ``rnnshape.cli.main`` itself, when
called from Python, does neither.
"""

import gc
import sys


def console() -> None:
    """Run the CLI on ``sys.argv`` and exit with its status."""
    gc.disable()  # while importing: the objects created now live as long as the process
    try:
        from .cli import main
        from .commands.process import leave_now
    except KeyboardInterrupt:  # Ctrl-C while Python is still importing the CLI
        sys.stderr.write("rnnshape: interrupted\n")
        raise SystemExit(130) from None
    gc.freeze()  # later collections skip what the imports created
    gc.enable()
    code = main()
    leave_now(code)
    raise SystemExit(code)  # the output could not be flushed: let Python's own exit report it


if __name__ == "__main__":
    console()
