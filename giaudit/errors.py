"""The exceptions giaudit raises on bad input.

Every message names the file, says what was wrong and what to do; the CLI
prints it as one line on stderr and exits 2.
"""

from __future__ import annotations


class GiauditError(Exception):
    """Base class of every error giaudit raises on purpose."""

    def __init__(self, source: str, problem: str, hint: str = "") -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.source}: {self.problem}"
        return f"{text}; {self.hint}" if self.hint else text


class UnreadableInput(GiauditError):
    """The input cannot be read at all: missing, empty, binary, undecodable."""


class UnrecognisedDocument(GiauditError):
    """The input was read, but it is not an annual report giaudit knows."""


class MissingDependency(UnreadableInput):
    """Reading this kind of input needs an optional extra that is not installed."""

    def __init__(self, source: str, what: str, extra: str) -> None:
        super().__init__(
            source,
            f"{what} support is not installed",
            f"install it with: pip install 'giaudit[{extra}]'",
        )
