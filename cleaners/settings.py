"""The rules file: the shipped defaults, merged with a user's override, and their version."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .patterns import PATTERN_KEYS, PatternError, check_user_patterns
from .rule import POLICY_KEYS


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


def _nearest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_name(value: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string", list: "a list"}.get(
        type(value), "a table" if isinstance(value, dict) else type(value).__name__
    )


def _check_value(where: str, key: str, value: Any, default: Any) -> None:
    """One setting against the shipped one: the same type, and a number in range."""
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise RulesFileError(f"{where}{key} must be {_type_name(default)}, not {value!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise RulesFileError(f"{where}{key} must be 0 or more, not {value!r}")
        if "share" in key and value > 1:
            raise RulesFileError(f"{where}{key} is a share: from 0 to 1, not {value!r}")
    if isinstance(value, list) and default:
        for item in value:
            _check_value(where, f"{key}[]", item, default[0])
    if key in PATTERN_KEYS:
        try:
            check_user_patterns(
                key, value if isinstance(value, list) else [value], default if isinstance(default, list) else [default]
            )
        except PatternError as exc:
            raise RulesFileError(f"{where}{key}: {exc}") from None


def _check_table(where: str, table: dict[str, Any], defaults: dict[str, Any], *, rule: bool = False) -> None:
    """Every key of a table of the user's file is one the shipped file has, with a value of its type."""
    for key, value in table.items():
        if rule and key == "add":
            if not isinstance(value, dict):
                raise RulesFileError(f"{where}add must be a table of lists")
            lists = [k for k, v in defaults.items() if isinstance(v, list)]
            for list_key, extra in value.items():
                if list_key not in lists:
                    raise RulesFileError(
                        f"{where}add.{list_key}: the rule has no list {list_key!r} to add to "
                        f"(its lists: {', '.join(lists) or 'none'}){_nearest(list_key, lists)}"
                    )
                _check_value(f"{where}add.", list_key, extra, defaults[list_key])
            continue
        if rule and key in POLICY_KEYS:  # declared on the rule class, overridable here
            if not isinstance(value, bool):
                raise RulesFileError(f"{where}{key} must be true or false, not {value!r}")
            continue
        if key not in defaults:
            known = [*defaults, *POLICY_KEYS] if rule else list(defaults)
            raise RulesFileError(f"unknown setting {where}{key}{_nearest(key, known)}")
        default = defaults[key]
        if isinstance(default, dict) and isinstance(value, dict):
            _check_table(f"{where}{key}.", value, default)
        else:
            _check_value(where, key, value, default)


def check_override(override: dict[str, Any], shipped: dict[str, Any]) -> None:
    """A user's rules file against the shipped settings' keys and types: an unknown table or key,
    a value of another type or out of range is a RulesFileError naming it (and the nearest key)."""
    for key, value in override.items():
        if key == "custom_rules":
            continue  # checked with the custom rules themselves
        if key not in shipped:
            raise RulesFileError(f"unknown table or setting [{key}]{_nearest(key, list(shipped))}")
        if key == "rules":
            if not isinstance(value, dict):
                raise RulesFileError('rules must be tables: [rules."<rule id>"]')
            for rule_id, table in value.items():
                if rule_id not in shipped["rules"]:
                    raise RulesFileError(
                        f"unknown rule {rule_id!r}{_nearest(rule_id, list(shipped['rules']))} "
                        "(the shipped cleaners/rules.toml has a table for each)"
                    )
                if not isinstance(table, dict):
                    raise RulesFileError(f'[rules."{rule_id}"] must be a table')
                _check_table(f'rules."{rule_id}".', table, shipped["rules"][rule_id], rule=True)
        elif isinstance(shipped[key], dict):
            if not isinstance(value, dict):
                raise RulesFileError(f"[{key}] must be a table")
            _check_table(f"{key}.", value, shipped[key])
        else:
            _check_value("", key, value, shipped[key])


def default_settings_text() -> str:
    return resources.files("cleaners").joinpath("rules.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    return tomllib.loads(default_settings_text())


def shipped_rule_setting(rule_id: str, key: str) -> Any:
    """A rule's setting as rules.toml ships it (None for a rule or key it does not have)."""
    return copy.deepcopy(_shipped()["rules"].get(rule_id, {}).get(key))


def without_rules(settings: dict[str, Any], rules: list[str]) -> dict[str, Any]:
    """A copy of the settings with these rules switched off, its version saying so."""
    changed = copy.deepcopy(settings)  # the cached shipped settings stay as they are
    for rule in rules:
        changed["rules"][rule]["enabled"] = False
    changed["rules_version"] = f"{settings['rules_version']}-without-{len(rules)}-rules"
    return changed


# A rules file is settings and phrase lists: far smaller than this. A larger one is a wrong path.
MAX_RULES_FILE_BYTES = 8 << 20


def _rules_file_text(path: Path) -> str:
    """The text of a user's rules file; RulesFileError says why it cannot be read (a folder, a
    pipe that would block the run, a file far too large to be one)."""
    try:
        if path.is_dir():
            raise RulesFileError(f"rules file {path} is a folder; give the path of a .toml file")
        if path.exists() and not path.is_file():
            raise RulesFileError(f"rules file {path} is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_RULES_FILE_BYTES + 1)
    except FileNotFoundError:
        raise RulesFileError(f"rules file not found: {path}") from None
    except OSError as exc:
        raise RulesFileError(f"cannot read rules file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_RULES_FILE_BYTES:
        raise RulesFileError(f"rules file {path} is over {MAX_RULES_FILE_BYTES >> 20} MB: not a rules file")
    return data.decode("utf-8")


def load_settings(override_path: str | Path | None = None) -> dict[str, Any]:
    """The effective settings: shipped rules.toml, then the user's file merged over it.

    The result carries `rules_version`: the shipped version plus a hash of everything in force,
    so that outputs made under different settings never share a version.
    """
    settings = tomllib.loads(default_settings_text())
    if override_path is not None:
        path = Path(override_path)
        try:
            override = tomllib.loads(_rules_file_text(path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RulesFileError(f"rules file {path} is not valid TOML: {exc}") from None
        except RecursionError:
            raise RulesFileError(f"rules file {path} nests its arrays or tables too deeply to read") from None
        try:
            check_override(override, settings)
        except RulesFileError as exc:
            raise RulesFileError(f"rules file {path}: {exc}") from None
        settings = _deep_merge(settings, override)
        _apply_additions(settings, path)
    from .registry import rule_ids
    from .rules.custom import CustomRuleError, check_custom_rules
    from .rules.model import ModelFileError, model_digest

    try:
        check_custom_rules(settings.get("custom_rules", []))
    except CustomRuleError as exc:
        raise RulesFileError(f"rules file {override_path}: {exc}") from None

    if any(settings["rules"][rule]["enabled"] for rule in rule_ids(needs_model=True)):
        try:
            settings["block_model"]["model_digest"] = model_digest(settings["block_model"]["model_file"])
        except ModelFileError as exc:
            raise RulesFileError(str(exc)) from None
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8")
    settings["rules_version"] = f"{settings['version']}+{hashlib.sha256(canonical).hexdigest()[:10]}"
    return settings
