"""The CLI edge's one mapping from error codes to exit codes, and how errors are shown."""

from __future__ import annotations

from rich.console import Console

from xiangshu.errors import XiangshuError

EXIT_CODES: dict[str, int] = {
    "invalid_input": 3,
    "not_found": 4,
    "conflict": 5,
    "not_authenticated": 6,
    "permission_denied": 6,
    "account_locked": 6,
    "rate_limited": 6,
    "configuration_error": 7,
    "integrity_error": 8,
}
INTERNAL_ERROR = 1


def exit_code_for(error: XiangshuError) -> int:
    return EXIT_CODES.get(error.code, INTERNAL_ERROR)


def show_error(console: Console, error: XiangshuError) -> None:
    console.print(f"[bold red]Error[/] ({error.code}): {error.message}")
    for problem in error.problems:
        console.print(f"  [red]•[/] {problem}")
