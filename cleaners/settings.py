"""The rules file: the shipped defaults, merged with a user's override, and their version."""

from __future__ import annotations

import hashlib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class RulesFileError(ValueError):
    """A rules file that cannot be read; the message says what to fix."""


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _apply_additions(settings: dict[str, Any], path: Path) -> None:
    """`[rules."<id>".add]` tables extend the shipped lists instead of replacing them, so that a user
    can add phrases of a language without copying every shipped one."""
    for rule_id, table in settings["rules"].items():
        additions = table.pop("add", None)
        if additions is None:
            continue
        if not isinstance(additions, dict):
            raise RulesFileError(f'rules file {path}: [rules."{rule_id}".add] must be a table of lists')
        for key, extra in additions.items():
            if not isinstance(table.get(key), list) or not isinstance(extra, list):
                lists = ", ".join(k for k, v in table.items() if isinstance(v, list)) or "none"
                raise RulesFileError(
                    f"rules file {path}: rule {rule_id} has no list {key!r} to add to (its lists: {lists})"
                )
            table[key] = [*table[key], *extra]


def default_settings_text() -> str:
    return resources.files("cleaners").joinpath("rules.toml").read_text(encoding="utf-8")


def load_settings(override_path: str | Path | None = None) -> dict[str, Any]:
    """The effective settings: shipped rules.toml, then the user's file merged over it.

    The result carries `rules_version`: the shipped version plus a hash of everything in force,
    so that outputs made under different settings never share a version.
    """
    settings = tomllib.loads(default_settings_text())
    if override_path is not None:
        path = Path(override_path)
        try:
            override = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RulesFileError(f"rules file not found: {path}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RulesFileError(f"rules file {path} is not valid TOML: {exc}") from None
        unknown = set(override.get("rules", {})) - set(settings["rules"])
        if unknown:
            raise RulesFileError(
                f"rules file {path} names unknown rules: {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(settings['rules']))}"
            )
        settings = _deep_merge(settings, override)
        _apply_additions(settings, path)
    from .rules.custom import CustomRuleError, check_custom_rules
    from .rules.model import MODEL_RULES, ModelFileError, model_digest

    try:
        check_custom_rules(settings.get("custom_rules", []))
    except CustomRuleError as exc:
        raise RulesFileError(f"rules file {override_path}: {exc}") from None

    if any(settings["rules"][rule]["enabled"] for rule in MODEL_RULES):
        try:
            settings["block_model"]["model_digest"] = model_digest(settings["block_model"]["model_file"])
        except ModelFileError as exc:
            raise RulesFileError(str(exc)) from None
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8")
    settings["rules_version"] = f"{settings['version']}+{hashlib.sha256(canonical).hexdigest()[:10]}"
    return settings
