"""Line numbers for values in a TOML document.

``tomllib`` parses but forgets where things were. Error messages must name the
line, so this module scans the (already syntax-checked) source once more and
maps each key path — ``("calls", 3, "deadlines", 1, "date")`` — to the line
where it is written. It only runs when there is an error to report, so its
cost never touches the fast path.
"""

from __future__ import annotations

Path = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.aot: dict[Path, int] = {}

    # -- low level ----------------------------------------------------------

    def peek(self, n: int = 0) -> str:
        j = self.i + n
        return self.s[j] if j < len(self.s) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i < len(self.s):
                if self.s[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_blank(self, newlines: bool) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                return

    # -- keys ---------------------------------------------------------------

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            c = self.peek()
            if c == '"':
                parts.append(self.basic_string())
            elif c == "'":
                parts.append(self.literal_string())
            else:
                start = self.i
                while self.peek() in _BARE and self.peek() != "":
                    self.i += 1
                parts.append(self.s[start : self.i])
            self.skip_blank(newlines=False)
            if self.peek() == ".":
                self.advance()
                continue
            return tuple(parts)

    # -- strings ------------------------------------------------------------

    def basic_string(self) -> str:
        if self.s.startswith('"""', self.i):
            return self.multiline('"""', escapes=True)
        self.advance()
        out: list[str] = []
        while self.i < len(self.s) and self.peek() != '"':
            c = self.peek()
            if c == "\\":
                nxt = self.peek(1)
                out.append(_ESCAPES.get(nxt, nxt))
                self.advance(2)
            else:
                out.append(c)
                self.advance()
        self.advance()
        return "".join(out)

    def literal_string(self) -> str:
        if self.s.startswith("'''", self.i):
            return self.multiline("'''", escapes=False)
        self.advance()
        start = self.i
        while self.i < len(self.s) and self.peek() != "'":
            self.advance()
        text = self.s[start : self.i]
        self.advance()
        return text

    def multiline(self, delim: str, escapes: bool) -> str:
        self.advance(3)
        start = self.i
        while self.i < len(self.s):
            if escapes and self.peek() == "\\":
                self.advance(2)
                continue
            if self.s.startswith(delim, self.i):
                extra = 0  # up to two quotes may stand right before the delimiter
                while extra < 2 and self.s.startswith(delim, self.i + 1):
                    self.advance()
                    extra += 1
                text = self.s[start : self.i]
                self.advance(3)
                return text
            self.advance()
        return self.s[start:]

    # -- values -------------------------------------------------------------

    def value(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)
        c = self.peek()
        if c == '"':
            self.basic_string()
        elif c == "'":
            self.literal_string()
        elif c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        else:
            while self.i < len(self.s) and self.peek() not in ",]}\n#":
                self.i += 1

    def array(self, path: Path) -> None:
        self.advance()
        index = 0
        while self.i < len(self.s):
            self.skip_blank(newlines=True)
            c = self.peek()
            if c == "]":
                self.advance()
                return
            if c == ",":
                self.advance()
                continue
            self.value((*path, index))
            index += 1

    def inline_table(self, path: Path) -> None:
        self.advance()
        while self.i < len(self.s):
            self.skip_blank(newlines=True)
            c = self.peek()
            if c == "}":
                self.advance()
                return
            if c == ",":
                self.advance()
                continue
            line = self.line
            keys = self.key()
            self.skip_blank(newlines=False)
            self.advance()  # '='
            self.skip_blank(newlines=False)
            self.value(self.mark(path, keys, line))

    # -- document -----------------------------------------------------------

    def resolve(self, keys: tuple[str, ...]) -> Path:
        """Walk a header's keys, stepping into the latest element of each array of tables."""
        path: Path = ()
        for k in keys:
            path = (*path, k)
            if path in self.aot:
                path = (*path, self.aot[path])
        return path

    def mark(self, base: Path, keys: tuple[str, ...], line: int) -> Path:
        """Record *line* for base+keys and for each implicit table the dotted keys create."""
        path = base
        for k in keys:
            path = (*path, k)
            self.lines.setdefault(path, line)
        return path

    def document(self) -> dict[Path, int]:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.s):
                return self.lines
            line = self.line
            if self.peek() == "[":
                array = self.peek(1) == "["
                self.advance(2 if array else 1)
                keys = self.key()
                self.advance(2 if array else 1)
                if array:
                    parent = self.resolve(keys[:-1])
                    base = (*parent, keys[-1])
                    self.aot[base] = self.aot.get(base, -1) + 1
                    table = (*base, self.aot[base])
                else:
                    table = self.resolve(keys)
                for n in range(1, len(table) + 1):  # implicit parent tables too
                    self.lines.setdefault(table[:n], line)
                continue
            keys = self.key()
            self.skip_blank(newlines=False)
            self.advance()  # '='
            self.skip_blank(newlines=False)
            self.value(self.mark(table, keys, line))


def key_lines(text: str) -> dict[Path, int]:
    """Map every key path and array element of a valid TOML document to its line."""
    return _Scanner(text).document()


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of *path*, or of its nearest written ancestor (a missing key is
    reported on the line of the table that lacks it)."""
    for n in range(len(path), 0, -1):
        found = lines.get(path[:n])
        if found is not None:
            return found
    return None
