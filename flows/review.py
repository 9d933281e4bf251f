"""The commands people tune the rules with: `explain`, `log summary|show|diff` and `eval`.

None of them starts Prefect: they read files or clean in this process, so that they answer in
about a second while a person edits a rules file.
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cleaners import Cleaner, Rejected
from cleaners.documents import RawDocument, SourceFile, SourceRejection, iter_shard, kind_of, read_document, split_name
from cleaners.model import CleanedDocument
from cleaners.settings import RulesFileError
from cleaners.text import count_words

from .evaluate import GoldError, evaluate
from .logs import LogError, context, diff, raw_folder_of, raw_text_of, read_entries, select, summarize
from .report import DEFAULT_PER_PAGE, DEFAULT_SPANS_PER_LIST, build_report
from .tally import COLUMNS, cell
from .terminal import CATEGORY_STYLES, fail, marked


def add_commands(commands: Any) -> None:
    """The parsers of rules, explain, log, eval and report, each with its handler, on the CLI's sub-commands."""
    rules = commands.add_parser(
        "rules",
        help="list every rule in the order it runs: id, category, what it detects, policy, settings",
        description="Lists the shipped rules in the order they run, each with its category, what it "
        "detects, its policy (guarded, anchored, on_extracted_html, ...) and its settings, as the shipped "
        "rules.toml sets them or as --rules FILE sets them over it.",
    )
    rules.add_argument("--rules", metavar="FILE", help="a rules file merged over the shipped one")
    shape = rules.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print JSON for scripts")
    shape.add_argument("--markdown", action="store_true", help="print a Markdown table (the README's)")
    rules.set_defaults(handler=command_rules)

    explain = commands.add_parser(
        "explain",
        help="clean one document here and now, and show what each rule removed and why",
        description="Cleans FILE in this process (no Prefect, under a second) and prints it with every "
        "removed span highlighted by category and numbered, then each removal's rule, category and reason.",
    )
    explain.add_argument(
        "file", type=Path, help="a raw document (.txt, .html, .htm) or a JSON Lines shard (.jsonl), optionally .gz"
    )
    explain.add_argument("--id", metavar="ID", help="of a shard, only the record with this id (default: every record)")
    explain.add_argument("--rules", metavar="FILE", help="a rules file merged over the shipped one")
    explain.add_argument(
        "--json", action="store_true", help="print the removals as JSON instead (of a shard: per record, with its id)"
    )
    explain.set_defaults(handler=command_explain)

    log = commands.add_parser(
        "log",
        help="read removal logs: summary per rule, spans in context, differences between runs",
        description="Reads what runs removed, from a clean folder (its documents' records), a run "
        "folder (clean/_runs/<run>) or a removals.jsonl file.",
    )
    log.set_defaults(handler=command_log)
    log_commands = log.add_subparsers(dest="log_command", metavar="WHAT")
    log_commands.required = True
    summary = log_commands.add_parser("summary", help="per rule and per category: documents, spans, characters, share")
    summary.add_argument("target", nargs="?", type=Path, default=Path("clean"), help="default: clean")
    summary.add_argument("--json", action="store_true", help="print JSON for scripts")
    show = log_commands.add_parser("show", help="removed spans of one rule or category, with a line of context")
    show.add_argument("target", nargs="?", type=Path, default=Path("clean"), help="default: clean")
    chosen = show.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--rule", metavar="ID", help="a rule id, e.g. navigation.menu_run")
    chosen.add_argument("--category", metavar="C", help="a category, e.g. related_links")
    show.add_argument("--doc", metavar="ID", help="only this document")
    show.add_argument("--limit", type=int, default=20, metavar="N", help="at most N spans (default: 20)")
    show.add_argument("--raw", type=Path, metavar="DIR", help="the raw folder, for context (default: the run's)")
    changes = log_commands.add_parser("diff", help="what a change of rules started or stopped removing, by rule")
    changes.add_argument("old", type=Path, help="the earlier clean folder, run folder or removals.jsonl")
    changes.add_argument("new", type=Path, help="the later one")
    changes.add_argument("--examples", type=int, default=3, metavar="N", help="examples per rule (default: 3)")
    changes.add_argument("--json", action="store_true", help="print JSON for scripts")

    gold = commands.add_parser(
        "eval",
        help="clean the documents of a gold file and score them: per category, per rule, token F1",
        description="Cleans every document of a gold file (the format of CONTRACT.md) from --raw in this "
        "process and scores the result: recall and precision per category, token precision/recall/F1, "
        "and per rule how many of its removals took text the gold keeps, with examples.",
    )
    gold.add_argument("--gold", type=Path, required=True, metavar="FILE", help="gold JSON Lines")
    gold.add_argument("--raw", type=Path, required=True, metavar="DIR", help="the raw folder the gold describes")
    gold.add_argument("--rules", metavar="FILE", help="a rules file merged over the shipped one")
    gold.add_argument("--examples", type=int, default=3, metavar="N", help="examples per rule (default: 3)")
    gold.add_argument("--json", action="store_true", help="print JSON for scripts")
    gold.set_defaults(handler=command_eval)

    report = commands.add_parser(
        "report",
        help="write self-contained HTML pages of a run or a clean folder: charts, span lists, highlighted documents",
        description="Writes HTML pages (no external files) of one run (a run folder, clean/_runs/<run>) or of "
        "what a clean folder holds now: counts of that scope, removed characters by category and by rule "
        "(each bar a link to the list of its spans, with a line of context and the reason), and every "
        "document's raw text with its removed spans highlighted and numbered, each number's rule, category "
        "and reason below it; filterable by rule and by category. Documents go on in further pages "
        "(report-2.html, ...) of --per-page each.",
    )
    report.add_argument("target", nargs="?", type=Path, default=Path("clean"), help="default: clean")
    report.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="default: report.html")
    report.add_argument("--raw", type=Path, metavar="DIR", help="the raw folder (default: the run's)")
    report.add_argument(
        "--per-page",
        type=int,
        default=DEFAULT_PER_PAGE,
        metavar="N",
        help=f"documents a page (default: {DEFAULT_PER_PAGE})",
    )
    report.add_argument(
        "--spans",
        type=int,
        default=DEFAULT_SPANS_PER_LIST,
        metavar="N",
        help=f"spans listed per rule and per category (default: {DEFAULT_SPANS_PER_LIST})",
    )
    report.set_defaults(handler=command_report)


def rule_reference(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Every shipped rule in the order it runs: id, category, what it detects, its policy and its
    settings as they stand (the shipped ones, or a rules file's over them)."""
    from cleaners.registry import REGISTRY, rule_ids
    from cleaners.rule import POLICY_KEYS

    rule_ids()  # fills the registry
    reference = []
    for rule_class in REGISTRY.values():
        config = dict(settings["rules"].get(rule_class.id, {}))
        policy = {key: config.pop(key, getattr(rule_class, key)) for key in POLICY_KEYS}
        policy.update(corpus_statistics=rule_class.corpus_statistics, needs_model=rule_class.needs_model)
        reference.append(
            {
                "id": rule_class.id,
                "category": rule_class.category,
                "detects": rule_class.description,
                "enabled": config.pop("enabled", True),
                # Named where a rule departs from the default: on_extracted_html is true for most.
                "policy": [
                    key if key != "on_extracted_html" else "not on_extracted_html"
                    for key, value in policy.items()
                    if value != (key == "on_extracted_html")
                ],
                "settings": config,
            }
        )
    return reference


def _setting_text(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} entries" if len(value) > 3 else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def command_rules(args: argparse.Namespace) -> int:
    from cleaners.settings import load_settings

    try:
        reference = rule_reference(load_settings(args.rules))
    except RulesFileError as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps(reference, ensure_ascii=False, indent=1))
        return 0
    if args.markdown:
        print("| rule | category | detects | policy |")
        print("|---|---|---|---|")
        for rule in reference:
            policy = ", ".join(rule["policy"]) + ("" if rule["enabled"] else " (disabled)")
            detects = rule["detects"].replace("|", "\\|")
            print(f"| `{rule['id']}` | {rule['category']} | {detects} | {policy} |")
        return 0
    console = Console()
    for number, rule in enumerate(reference, 1):
        state = "" if rule["enabled"] else "  [red](disabled)[/red]"
        policy = f"  [dim]{', '.join(rule['policy'])}[/dim]" if rule["policy"] else ""
        console.print(f"[bold]{number:2}. {rule['id']}[/bold]  {rule['category']}{policy}{state}")
        console.print(f"    {rule['detects']}", highlight=False)
        for key, value in rule["settings"].items():
            console.print(f"    [dim]{key} = {_setting_text(value)}[/dim]", highlight=False)
    return 0


def command_explain(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        return fail(f"no such file: {path}")
    doc_id, suffix, _ = split_name(path.name)
    kind = kind_of(suffix) or "text"
    source_file = SourceFile(doc_id, path.name, path.name, kind)
    try:
        cleaner = Cleaner(rules_path=args.rules)
        if kind == "shard":  # a record at a time: a shard may be larger than memory
            items: Iterable[RawDocument | SourceRejection] = iter_shard(
                path.parent, source_file, html_options=cleaner.settings["html"]
            )
        else:
            items = [read_document(path.parent, source_file, html_options=cleaner.settings["html"])]
    except (RulesFileError, Rejected) as exc:
        return fail(str(exc))
    console = Console(highlight=False)
    explained: list[dict[str, Any]] = []
    for item in items:
        if args.id is not None and item.doc_id != args.id:
            continue
        if isinstance(item, SourceRejection):  # a shard's line that is no document
            explained.append({"id": item.doc_id, "rejected": item.reason})
            if not args.json:
                console.print(Text(f"{item.doc_id}: rejected: {item.reason}", style="bold"))
            continue
        cleaned = cleaner.clean(item.doc_id, item.text, page=item.page)
        explained.append({"id": item.doc_id, "removals": [r.to_dict() for r in cleaned.removals]})
        if not args.json:
            if kind == "shard":
                console.rule(f"record {item.doc_id}")
            _print_explained(console, item.text, cleaned, cleaner.rules_version)
    if args.id is not None and not explained:
        return fail(f"{path} holds no record with the id {args.id!r}")
    if args.json:
        shown: Any = explained if kind == "shard" else explained[0]["removals"]
        print(json.dumps(shown, ensure_ascii=False, indent=1))
    return 0


def _print_explained(console: Console, text: str, cleaned: CleanedDocument, rules_version: str) -> None:
    """The document with every removed span marked and numbered, then per number rule, category, reason."""
    shown = Text()
    cursor = 0
    for number, removal in enumerate(cleaned.removals, 1):
        shown.append(text[cursor : removal.start])
        shown.append(*marked(removal.text, removal.category, terminal=console.is_terminal))
        shown.append(f"[{number}]", style="bold")
        cursor = removal.end
    shown.append(text[cursor:])
    console.print(shown)
    table = Table(title=f"{len(cleaned.removals)} removals ({rules_version})")
    for column in ("#", "rule", "category", "reason"):
        table.add_column(column)
    for number, removal in enumerate(cleaned.removals, 1):
        table.add_row(
            str(number), removal.rule, Text(removal.category, CATEGORY_STYLES.get(removal.category, "")), removal.reason
        )
    console.print(table)
    console.print(
        f"language {cleaned.language} ({cleaned.language_probability:.2f}); "
        f"kept {count_words(cleaned.cleaned_text):,} of {count_words(cleaned.raw_text):,} words"
    )
    for item in cleaned.overruled:
        console.print(f"overruled: {item.rule} ({item.spans} spans): {item.reason}")
    for back in cleaned.taken_back:
        line = " ".join(text[back.start : back.end].split())
        console.print(f"given back (had been taken by {back.rule}): “{line[:80]}”: {back.reason}", highlight=False)
    if cleaned.line_model_not_applied:
        console.print(f"line model not applied: {cleaned.line_model_not_applied}", highlight=False)
    if cleaned.set_aside:
        console.print(f"extractor set aside: {cleaned.set_aside}", highlight=False)


def command_log(args: argparse.Namespace) -> int:
    try:
        if args.log_command == "summary":
            return _log_summary(args)
        if args.log_command == "show":
            return _log_show(args)
        return _log_diff(args)
    except (LogError, OSError, json.JSONDecodeError) as exc:
        return fail(str(exc))


def _log_summary(args: argparse.Namespace) -> int:
    result = summarize(read_entries(args.target))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    console = Console()
    for key, rows in (("rule", result["rules"]), ("category", result["categories"])):
        table = Table(title=f"removals by {key} ({args.target})")
        columns = [key, *(["category"] if key == "rule" else []), *COLUMNS]
        for column in columns:
            header = "share" if column == "share_of_removed" else column
            table.add_column(header, justify="left" if column in (key, "category") else "right")
        for row in rows:
            table.add_row(*(cell(c, row[c]) for c in columns))
        console.print(table)
    if not result["rules"]:
        console.print("nothing was removed")
    return 0


def _unknown(kind: str, name: str | None, known: set[str]) -> str | None:
    """Why a --rule or --category filter can match nothing: it names no rule (or category) that
    exists, shipped or in the log (custom rules); None when it does."""
    if name is None or name in known:
        return None
    close = difflib.get_close_matches(name, sorted(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(known))}"
    return f"unknown {kind} {name!r}{hint}"


def _log_show(args: argparse.Namespace) -> int:
    from cleaners.registry import CATEGORIES, rule_ids

    logged_rules = {entry.rule for entry in read_entries(args.target)}
    unknown = _unknown("rule", args.rule, set(rule_ids()) | logged_rules) or _unknown(
        "category", args.category, set(CATEGORIES)
    )
    if unknown:
        return fail(unknown)
    raw = raw_folder_of(args.target, args.raw)
    console = Console(highlight=False)
    texts: dict[str, str | None] = {}
    shown = 0
    for entry in select(read_entries(args.target), rule=args.rule, category=args.category, doc_id=args.doc):
        if shown >= args.limit:
            console.print(f"... more; raise --limit (showing {args.limit})")
            break
        shown += 1
        console.print(
            Text(f"{entry.doc_id}  {entry.rule} ({entry.category})  [{entry.start}:{entry.end}]", style="bold")
        )
        if entry.doc_id not in texts:
            texts[entry.doc_id] = raw_text_of(raw, entry)
        text = texts[entry.doc_id]
        before, after = context(text, entry.start, entry.end) if text is not None else ("", "")
        if before:
            console.print(Text("  " + before, style="dim"))
        removed_text, style = marked(entry.text.replace("\n", "\n  "), entry.category, terminal=console.is_terminal)
        console.print(Text("  " + removed_text, style=style))
        if after:
            console.print(Text("  " + after, style="dim"))
        console.print(Text(f"  why: {entry.reason}", style="italic"))
    if shown == 0:
        console.print("no removal matches")
    return 0


def _log_diff(args: argparse.Namespace) -> int:
    report = diff(read_entries(args.old), read_entries(args.new))
    for row in report.values():
        row["examples"] = row["examples"][: args.examples * 2]
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    console = Console(highlight=False)
    if not report:
        console.print("the two logs remove the same spans")
        return 0
    table = Table(title=f"{args.old} -> {args.new}")
    for column in ("rule", "started", "chars", "stopped", "chars "):
        table.add_column(column, justify="left" if column == "rule" else "right")
    for rule, row in report.items():
        table.add_row(
            rule, str(row["started"]), f"{row['started_chars']:,}", str(row["stopped"]), f"{row['stopped_chars']:,}"
        )
    console.print(table)
    for rule, row in report.items():
        console.print(Text(rule, style="bold"))
        for example in row["examples"]:
            mark = "+" if example["change"] == "started" else "-"
            console.print(f"  {mark} {example['id']}: {example['text'][:160]!r}")
    return 0


def command_eval(args: argparse.Namespace) -> int:
    if not args.raw.is_dir():
        return fail(f"raw folder not found: {args.raw}")
    try:
        report = evaluate(args.gold, args.raw, args.rules, args.examples)
    except (GoldError, RulesFileError) as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    console = Console(highlight=False)
    console.print(
        f"{report['documents']} documents ({report['rules_version']}): token P/R/F1 "
        f"{report['token_precision']:.3f}/{report['token_recall']:.3f}/{report['token_f1']:.3f}; "
        f"keep rate {report['keep_rate'] if report['keep_rate'] is not None else '-'}",
        soft_wrap=True,  # one line a script can grep, whatever the terminal's width
    )
    table = Table(title="per category (segments the gold requires)")
    for column in ("category", "gold segments", "recall", "our judged removals", "precision"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for row in report["categories"]:
        table.add_row(
            row["category"],
            str(row["gold_segments"]),
            "-" if row["recall"] is None else f"{row['recall']:.3f}",
            str(row["our_removals"]),
            "-" if row["precision"] is None else f"{row['precision']:.3f}",
        )
    console.print(table)
    rules = Table(title="per rule: removals that took text the gold keeps")
    for column in ("rule", "removals", "took keep"):
        rules.add_column(column, justify="left" if column == "rule" else "right")
    for row in report["rules"]:
        rules.add_row(row["rule"], str(row["removals"]), str(row["took_keep"]))
    console.print(rules)
    for row in report["rules"]:
        for example in row["examples"]:
            console.print(f"  {row['rule']} took {example['id']}: {example['text'][:140]!r}")
    for rejected in report["rejected"]:
        console.print(f"rejected {rejected['id']}: {rejected['reason']}")
    return 0


def command_report(args: argparse.Namespace) -> int:
    from .io import atomic_write_text

    if args.per_page < 1 or args.spans < 0:
        return fail("--per-page must be at least 1 and --spans at least 0")
    try:
        pages = build_report(
            args.target,
            raw_folder_of(args.target, args.raw),
            first_page=args.output.name,
            per_page=args.per_page,
            spans_per_list=args.spans,
        )
    except (LogError, OSError, json.JSONDecodeError) as exc:
        return fail(str(exc))
    for name, page in pages.items():
        atomic_write_text(args.output.with_name(name), page)
    more = f" and {len(pages) - 1} more pages of documents ({args.output.stem}-2...)" if len(pages) > 1 else ""
    print(f"wrote {args.output}{more}")
    return 0
