"""Report what is wrong with a question bank as `file:line: field: message`, all at once."""

from dataclasses import dataclass

#: The field named when a problem concerns a whole file (syntax errors, a file that is missing).
WHOLE_FILE = "(file)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a question-bank file, located for the person who has to fix it."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class QuestionBankError(Exception):
    """A framework folder that cannot be loaded, with every problem found in it."""

    def __init__(self, errors: list[Problem]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(problem) for problem in errors))
