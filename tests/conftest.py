"""Shared fixtures: the shared folder beside the clone, a cleaner, and a plain test article."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from cleaners import CleanedDocument, Cleaner

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", REPO.parent / "shared"))

TITLE = "City council approves a larger budget for public libraries"
ARTICLE = [
    "The city council voted on Tuesday to raise the budget of the public library system by twelve percent, "
    "the largest increase in a decade, after months of debate over opening hours and staffing.",
    "Council members said the money would keep branches open on Sundays and pay for forty new librarians, "
    "many of whom will run reading programmes for children and adults learning a second language.",
    "The library director told the council that visits had risen sharply since the branches began lending "
    "laptops and offering free internet access to residents who cannot afford it at home.",
    "Opponents argued that the increase would force cuts elsewhere, and two members voted against the plan, "
    "saying the council should first review how the library spends its current budget.",
    "The mayor is expected to sign the budget next week, and the new opening hours would begin in the spring, "
    "the library director said after the vote.",
]


def article_text(*, before: list[str] = (), after: list[str] = (), blank_lines: bool = True) -> str:
    """The test article with debris lines before and after it."""
    lines = [*before, TITLE, *ARTICLE, *after]
    return ("\n\n" if blank_lines else "\n").join(lines) + "\n"


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


def without_the_line_model() -> Cleaner:
    """The shipped rules without the line model's three: what the rules decide on their own (the
    model may give back what a revisable rule took; tests/unit/test_rules_model.py tests that)."""
    from cleaners.registry import rule_ids
    from cleaners.settings import load_settings, without_rules

    return Cleaner(without_rules(load_settings(), rule_ids(needs_model=True)))


def removed(result: CleanedDocument, rule: str | None = None) -> list[str]:
    """Lines removed (by one rule, or by any), in order; a span of several lines gives each."""
    return [
        line.strip()
        for r in result.removals
        if rule is None or r.rule == rule
        for line in r.text.split("\n")
        if line.strip()
    ]


def run_rule(cleaner: Cleaner, rule_id: str, text: str) -> list[str]:
    """The lines one rule removes when it runs alone on the text: what a test that names a rule
    checks, so that another rule taking the line first cannot make a negative case pass."""
    others = frozenset(rule.id for rule in cleaner.rules if rule.id != rule_id)
    _view, removals = cleaner.apply_rules(text, skip=others)
    return [line.strip() for r in removals for line in r.text.split("\n") if line.strip()]


def kept_all(result: CleanedDocument, lines: list[str]) -> bool:
    return all(line in result.cleaned_text for line in lines)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "CONTRACT.md").exists():
        message = f"the shared folder is not beside the clone ({SHARED}); set NEWSCLEAN_SHARED"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


def clean_folder(raw: Path, out: Path, rules: Path | None = None) -> Any:
    """A run's outputs without Prefect: the batch the flow's task runs, and the joined run log."""
    from cleaners.documents import discover
    from flows.batch import Job, process_batch
    from flows.planning import finish_run_log

    sources, _ = discover(raw)
    job = Job(str(raw), str(out), "run-" + out.name, rules=str(rules) if rules else None)
    process_batch(0, sources, job)
    finish_run_log(job.run_folder, {"000000"})
    (job.run_folder / "summary.json").write_text(json.dumps({"raw": str(raw)}), encoding="utf-8")
    return job


@pytest.fixture
def seeds_run(shared, tmp_path) -> tuple[Path, Path, Any]:
    raw = tmp_path / "raw"
    shutil.copytree(shared / "seeds", raw)
    out = tmp_path / "clean"
    return raw, out, clean_folder(raw, out)
