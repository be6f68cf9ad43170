"""Reading on past a CSV record the csv module gave up on because a value in it is longer than
its field limit: the rest of the record (a quoted value may go on over many lines) is read
without keeping the value, and what is left is which column held it (portal.citizens.csvfile
makes that the row's error)."""

import io


class Malformed(ValueError):
    """The record is not valid CSV."""


class Lines:
    """The text's lines as the csv reader takes them, keeping those of the record being read."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text))
        self.record: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.record.append(line)
        return line

    def more(self) -> str | None:
        """The next line, past the reader; None at the end of the text."""
        return next(self._lines, None)


class TooLong(list):
    """A record with a value over the csv module's limit; `column` is the value's position."""

    def __init__(self, column: int):
        super().__init__()
        self.column = column


def long_field(lines: Lines, delimiter: str) -> int:
    """The position of the longest value in the record the reader gave up on, reading the rest
    of the record past the reader: a quoted value may go on over more lines. Nothing is kept
    but counts, so a huge value costs only its reading; Malformed if the record is not CSV."""
    state, column, length, longest = "start", 0, 0, (-1, 0)
    text: str | None = "".join(lines.record)
    while text is not None:
        for ch in text:
            if state == "quoted":  # inside quotation marks: all is the value, line breaks too
                state, length = ("quote", length) if ch == '"' else ("quoted", length + 1)
            elif state == "quote" and ch == '"':  # a doubled quotation mark is one
                state, length = "quoted", length + 1
            elif ch in (delimiter, "\n"):
                longest = max(longest, (length, column))
                if ch == "\n":
                    return longest[1]
                state, column, length = "start", column + 1, 0
            elif state == "quote":  # text after a closing quotation mark
                raise Malformed
            elif state == "start" and ch == '"':
                state = "quoted"
            else:
                state, length = "plain", length + 1
        text = lines.more()
    if state == "quoted":  # a quotation mark opened and never closed
        raise Malformed
    return max(longest, (length, column))[1]
