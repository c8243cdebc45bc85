"""Run a program on a pseudo-terminal and watch what it draws, as a user's terminal would.

`Terminal` starts the program on a pty of a given size, reads every byte it writes and keeps
a grid of the cells drawn (cursor moves, text, erases; colours and modes are read and
ignored). A benchmark waits for a frame: every row painted since a mark, and the texts that
only that screen shows, complete (see `Frame`). Peak memory is the program's own `VmHWM`,
read from /proc while it runs: an exec'd process starts a new count, unlike `ru_maxrss`,
which carries the parent's peak across fork and exec.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import get_character_cell_size

_CSI = re.compile(rb"\x1b\[([0-9;?<=>$ ]*)([@-~])")
_OSC = re.compile(rb"\x1b\][^\x07\x1b]*(\x07|\x1b\\)")
_ESC = re.compile(rb"\x1b[()][0-9A-Za-z]|\x1b[@-Z\\^_`a-z{|}~0-9=>]")


class Screen:
    """The cells a terminal shows, fed with the program's output."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.painted: set[int] = set()
        self.x = self.y = 0
        self._pending = b""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, data: bytes) -> None:
        data = self._pending + data
        self._pending = b""
        at = 0
        while at < len(data):
            esc = data.find(b"\x1b", at)
            if esc < 0:
                self._text(data[at:])
                return
            if esc > at:
                self._text(data[at:esc])
            for pattern in (_CSI, _OSC, _ESC):
                match = pattern.match(data, esc)
                if match:
                    if pattern is _CSI:
                        self._csi(match.group(1), match.group(2))
                    at = match.end()
                    break
            else:
                if len(data) - esc < 64:  # an escape cut in two by the read: wait for the rest
                    self._pending = data[esc:]
                    return
                at = esc + 1  # something unknown: skip the escape byte

    def _text(self, raw: bytes) -> None:
        for char in self._decoder.decode(raw):
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.height - 1, self.y + 1)
            elif char == "\b":
                self.x = max(0, self.x - 1)
            elif char >= " ":
                if 0 <= self.y < self.height and 0 <= self.x < self.width:
                    self.rows[self.y][self.x] = char
                    self.painted.add(self.y)
                self.x += max(1, get_character_cell_size(char))

    def _csi(self, params: bytes, final: bytes) -> None:
        numbers = [int(p) if p.isdigit() else 0 for p in params.decode().split(";")] if params else []
        if params.startswith((b"?", b">", b"<", b"=")) or b"$" in params:
            return  # modes and queries
        first = numbers[0] if numbers else 0
        if final == b"H" or final == b"f":
            self.y = max(1, first) - 1
            self.x = max(1, numbers[1] if len(numbers) > 1 else 1) - 1
        elif final == b"A":
            self.y = max(0, self.y - max(1, first))
        elif final == b"B":
            self.y = min(self.height - 1, self.y + max(1, first))
        elif final == b"C":
            self.x += max(1, first)
        elif final == b"D":
            self.x = max(0, self.x - max(1, first))
        elif final == b"G":
            self.x = max(1, first) - 1
        elif final == b"J" and first == 2:
            self.rows = [[" "] * self.width for _ in range(self.height)]
            self.painted.update(range(self.height))
        elif final == b"K" and 0 <= self.y < self.height:
            row = self.rows[self.y]
            span = (
                range(self.x, self.width) if first == 0 else range(0, self.x + 1) if first == 1 else range(self.width)
            )
            for i in span:
                if 0 <= i < self.width:
                    row[i] = " "
            self.painted.add(self.y)

    def line(self, y: int) -> str:
        return "".join(self.rows[y])

    def text(self) -> str:
        return "\n".join(self.line(y) for y in range(self.height))


@dataclass(frozen=True)
class Frame:
    """A complete frame: every row painted since the mark, and each (row, text) drawn.

    A row of None means any row; a negative row counts from the bottom.
    """

    name: str
    needs: Sequence[tuple[int | None, str]] = ()
    refuses: Sequence[tuple[int | None, str]] = ()

    def complete(self, screen: Screen) -> bool:
        if len(screen.painted) < screen.height:
            return False
        return all(self._has(screen, row, text) for row, text in self.needs) and not any(
            self._has(screen, row, text) for row, text in self.refuses
        )

    @staticmethod
    def _has(screen: Screen, row: int | None, text: str) -> bool:
        if row is None:
            return any(text in screen.line(y) for y in range(screen.height))
        return text in screen.line(row % screen.height)


class ProgramExited(RuntimeError):
    pass


class Terminal:
    """A program on a pty of `size` (columns, rows); `started` is when it was forked."""

    def __init__(self, argv: Sequence[str], *, size: tuple[int, int] = (160, 50), env: dict[str, str] | None = None):
        self.screen = Screen(*size)
        columns, rows = size
        child_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLORTERM": "truecolor",
                     "COLUMNS": str(columns), "LINES": str(rows)}  # fmt: skip
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its terminal
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.execvpe(argv[0], list(argv), child_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = bytearray()

    def mark(self) -> None:
        """From here on, a frame must paint every row again."""
        self.screen.painted.clear()

    def send(self, keys: bytes) -> float:
        """Type `keys`; returns the moment they were sent."""
        self.mark()
        moment = time.perf_counter()
        os.write(self.fd, keys)
        return moment

    def wait_for(self, frame: Frame, *, timeout: float = 120.0) -> float:
        """Read until `frame` is complete; returns the moment it was."""
        deadline = time.perf_counter() + timeout
        while True:
            if frame.complete(self.screen):
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no complete {frame.name} frame within {timeout:.0f} s:\n{self.screen.text()}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            if not data:
                raise ProgramExited(f"the program ended before its {frame.name} frame:\n{self.screen.text()}")
            self.output += data
            self.screen.feed(data)

    def settle(self, seconds: float = 0.3) -> None:
        """Keep reading (so the program never blocks on a full pty) until it is quiet for `seconds`."""
        quiet_until = time.perf_counter() + seconds
        while time.perf_counter() < quiet_until:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, quiet_until - time.perf_counter()))
            if ready:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    return
                if not data:
                    return
                self.screen.feed(data)
                quiet_until = time.perf_counter() + seconds

    def peak_mb(self) -> float:
        """The program's own peak resident memory (VmHWM), in MB."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def timed_frames(argv: Sequence[str], steps: Sequence[tuple[bytes | None, Frame]], *, size: tuple[int, int] = (160, 50),
                 env: dict[str, str] | None = None, after_first: Callable[[Terminal], None] | None = None,
                 ) -> tuple[list[float], float]:  # fmt: skip
    """Start `argv`, then for each step type its keys (None: none, the start; b"": none, a frame that
    follows the keys before it, timed from them) and wait for its frame.

    Returns the seconds each step took (from the start or the keys to the complete frame) and
    the program's peak memory in MB, read after the last frame and a moment of quiet. Steps
    without keys after the first are frames that follow on their own (the whole board after its
    first frame): timed from the start too, with no quiet moment waited for before them;
    `after_first` sees the terminal after the last of the opening steps (those without keys)
    and a moment of quiet.
    """
    seconds = []
    with Terminal(argv, size=size, env=env) as term:
        keyed = term.started
        for at, (keys, frame) in enumerate(steps):
            if keys:
                keyed = term.send(keys)
            begun = term.started if keys is None else keyed
            seconds.append(term.wait_for(frame) - begun)
            follows = at + 1 < len(steps) and not steps[at + 1][0]
            if not follows:
                term.settle(0.3 if keys is None else 0.05)
            if keys is None and not follows and after_first is not None:
                after_first(term)
        term.settle(0.3)
        return seconds, term.peak_mb()
