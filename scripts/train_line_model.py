#!/usr/bin/env python3
"""Trains the line model shipped as cleaners/line_model.json, and reports it on pages it never saw.

Training data, and only this: every page of wcxb-dev and the L3S-GN1 documents whose id sorts in
the first half (../shared/bench). ScrapingHub is never read here. Each page is cleaned as text by
every rule but the model's own, with the corpus statistics of its set's training pages (as a run
gathers them over its raw folder, the pages never trained on left out); every line then gets the
features of `cleaners.line_features` and a label derived from the human gold text: the keep/drop
choice per line that maximizes the page's token F1 (each line's tokens aligned to the gold's in
order; lines taken by order of their aligned share while the F1 rises), not the benchmarks'
word-share labels, which call a menu entry article text when the article uses its word.

Each page is trained on twice: as scraped (the benchmarks' raw texts, a line of the page a line)
and with a blank line between its lines, as text that other tools write (a paragraph a block); the
labels and the corpus statistics are the same, so that the layout of a text does not decide what
is the article. Both stand in the fold of their site, and figures are reported for each.

Each page's gold text is also trained on alone, in both layouts: an article with nothing to
remove, every line of it the article's, with the corpus statistics of its set's gold texts (as a
run over a folder of clean articles gathers them). Without it the model learns what articles look
like only from scraped pages, where most short lines around the body are debris, and on a clean
article it takes lists, titles and short paragraphs away. These documents weigh CLEAN_TEXT_WEIGHT
of a page (the benchmark figures are those of scraped pages), stand in their site's fold, do not
choose the thresholds, and the report gives the share of their words the model removes on sites
it never saw.

The model is scikit-learn's histogram gradient boosting (fixed seed, no early stopping, no
subsampling: the same data gives the same trees), each line weighted by its share of its page's
words, since the benchmark scores the mean over pages. One such model's greedy splits change
wholesale when a few pages' features change (a rule added or revised), so that its verdicts on
pages it never saw move by more than the change itself; the mean of several models varies less but
costs their trees at cleaning time. So the shipped model is distilled: TEACHERS classifiers, each
trained without one fold of sites, give every training line the mean of their log-odds, and one
regressor of the same size is fitted to those log-odds; cleaning walks its trees alone.

The model judges the lines the rules kept and the lines that a revisable rule took; lines that a
rule recognized by their form stand. Its decision thresholds and every figure it reports come
from 5-fold cross-validation grouped by site (URL host), each fold's model distilled from teachers
that saw only the other folds: no site is both trained and tested on. The model file lists the
writing systems of the pages it was trained on (`scripts`); on a document in another, the rules'
decisions stand. The trees are written to JSON with their split values rounded, so that the file
is the same from the same data.

    .venv/bin/pip install -q -c constraints.txt -e '.[train]'
    .venv/bin/python scripts/train_line_model.py [--out cleaners/line_model.json]

Whether a change's gain is more than retraining moves: train with `--without-sites 0.03 --seed N`
for a few seeds, before and after the change, and clean ScrapingHub with each model file (a rules
file with `[block_model] model_file = "..."`).
"""

from __future__ import annotations

import argparse
import difflib
import json
import pickle
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import GroupKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaners.accounting import cut_removals  # noqa: E402
from cleaners.documents import SourceFile, read_document, split_name  # noqa: E402
from cleaners.line_features import FEATURE_NAMES, line_features  # noqa: E402
from cleaners.pipeline import Cleaner  # noqa: E402
from cleaners.registry import rule_ids  # noqa: E402
from cleaners.rules.model import load_model  # noqa: E402
from cleaners.settings import load_settings, without_rules  # noqa: E402
from cleaners.text import main_script  # noqa: E402
from cleaners.trees import probabilities as probabilities_of  # noqa: E402
from flows.batch import Job, gather_corpus, unit_statistics  # noqa: E402
from flows.evaluate import token_list, token_scores, tokens  # noqa: E402

BENCH = REPO.parent / "shared" / "bench"
BATCH = 200
FOLDS = 5
TEACHERS = 5  # classifiers whose mean log-odds the shipped model is fitted to
SEED = 0
PARAMETERS = {
    "max_iter": 150,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": SEED,
}
SCRAPED, SPACED = "as scraped", "a blank line between lines"
GOLD_ALONE = "gold texts alone"
CLEAN_TEXT_WEIGHT = 0.1  # of a scraped page, each document's lines weighing 1 in all
THRESHOLDS = [round(0.5 + 0.05 * i, 2) for i in range(10)]  # tried for each of the two verdicts
TOLERANCE = 0.002


def training_golds() -> list[tuple[str, dict]]:
    """(set, gold) of every page trained on: all of wcxb-dev, the first half by id of L3S-GN1."""
    chosen = []
    for name, share in (("wcxb-dev", 1.0), ("l3s-gn1", 0.5)):
        golds = sorted(
            (json.loads(line) for line in (BENCH / name / "gold.jsonl").open(encoding="utf-8")), key=lambda g: g["id"]
        )
        chosen += [(name, g) for g in golds[: int(len(golds) * share)]]
    return chosen


def training_scripts(golds: list[tuple[str, dict]]) -> list[str]:
    """The writing systems of the pages trained on (each page's main script): the model judges only
    documents written in one of them."""
    return sorted({main_script(read_document(BENCH / name / "raw", source_file(gold)).text) for name, gold in golds})


def rules_only_cleaner() -> Cleaner:
    """Every rule but the model's own: the model learns from what the rules decided."""
    return Cleaner(without_rules(load_settings(), rule_ids(needs_model=True)))


def oracle_keep(lines: list[list[str]], gold: list[str]) -> list[bool]:
    """The keep/drop choice per line that maximizes token F1 against the gold: each line's tokens
    aligned to the gold's in order; lines taken by their aligned share, best first, while the F1
    rises (the F1 is a ratio, so the best set is a prefix of that order)."""
    flat = [token for line in lines for token in line]
    owner = [n for n, line in enumerate(lines) for _ in line]
    matched = [0] * len(lines)
    matcher = difflib.SequenceMatcher(None, flat, gold, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            matched[owner[k]] += 1
    order = sorted(
        (n for n in range(len(lines)) if lines[n]), key=lambda n: (-matched[n] / len(lines[n]), -len(lines[n]))
    )
    best, best_size, tp, size = 0.0, 0, 0, 0
    for position, n in enumerate(order, 1):
        tp += matched[n]
        size += len(lines[n])
        f1 = 2 * tp / (size + len(gold)) if size + len(gold) else 0.0
        if f1 > best:
            best, best_size = f1, position
    keep = [False] * len(lines)
    for n in order[:best_size]:
        keep[n] = True
    return keep


def source_file(gold: dict) -> SourceFile:
    return SourceFile(split_name(gold["source"])[0], gold["source"], gold["source"])


def collect(golds: list[tuple[str, dict]], cleaner: Cleaner) -> list[dict]:
    """Per page: features, oracle labels, which lines the model judges and what the rules kept."""
    config = cleaner.settings["block_model"]
    pages = []
    corpora = {}  # per set, the corpus statistics of its training pages alone, as a run gathers them
    alone = {}  # per set, the statistics of its training pages' gold texts, cleaned alone
    for name in sorted({name for name, _ in golds}):
        sources = [source_file(gold) for set_name, gold in golds if set_name == name]
        corpora[name] = gather_corpus(sources, Job(str(BENCH / name / "raw"), "", "training"))
        alone[name] = cleaner.batch_stats(gold_alone(gold) for set_name, gold in golds if set_name == name)
    for start in range(0, len(golds), BATCH):
        chunk = golds[start : start + BATCH]
        documents = [read_document(BENCH / name / "raw", source_file(gold)) for name, gold in chunk]
        texts = [document.text for document in documents]
        statistics = [
            unit_statistics(cleaner, [document], corpora[name])[0]
            for (name, _), document in zip(chunk, documents, strict=True)
        ]
        for (name, gold), text, stats in zip(chunk, texts, statistics, strict=True):
            want = token_list(gold["gold_text"])
            clean = gold_alone(gold)
            for kind, layout, laid_out, used in (
                ("page", SCRAPED, text, stats),
                ("page", SPACED, spaced(text), stats),
                (GOLD_ALONE, SCRAPED, clean, alone[name]),
                (GOLD_ALONE, SPACED, spaced(clean), alone[name]),
            ):
                view, removals = cleaner.apply_rules(laid_out, used)
                judged, rows = line_features(view, config)
                lines = [token_list(b.text) for b in view.blocks]
                pages.append(
                    {
                        "set": name,
                        "kind": kind,
                        "layout": layout,
                        "id": gold["id"],
                        "host": urlsplit(gold.get("url") or "").hostname or gold["id"],
                        "page_type": gold.get("page_type", "article"),
                        "rows": rows,
                        "keep": np.array(oracle_keep(lines, want), dtype=bool),
                        "judged": judged,  # the block index of each row
                        "taken": np.array(view.taken, dtype=bool),
                        "tables": view.table_lines(),  # never removed by the model (rules/model.py)
                        "line_tokens": [Counter(t) for t in lines],
                        "kept": tokens(cut_removals(laid_out, removals.merged())),
                        "want": Counter(want),
                    }
                )
        print(f"  {start + len(chunk)} of {len(golds)} pages", file=sys.stderr)
    return pages


def gold_alone(gold: dict) -> str:
    """The page's gold text as a document: its non-empty lines, a line each."""
    return "".join(line.strip() + "\n" for line in (gold.get("gold_text") or "").splitlines() if line.strip())


def spaced(text: str) -> str:
    """The text with its non-empty lines separated by blank lines."""
    return "\n\n".join(line for line in text.split("\n") if line.strip()) + "\n"


def arrays(pages: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows, labels and weights of every judged line that holds a token, and each row's page."""
    rows, labels, weights, owners = [], [], [], []
    for number, page in enumerate(pages):
        total = sum(sum(c.values()) for c in page["line_tokens"]) or 1
        weight = CLEAN_TEXT_WEIGHT if page["kind"] == GOLD_ALONE else 1.0
        for position, i in enumerate(page["judged"]):
            size = sum(page["line_tokens"][i].values())
            if size:
                rows.append(page["rows"][position])
                labels.append(page["keep"][i])
                weights.append(weight * size / total)
                owners.append(number)
    return np.array(rows), np.array(labels, dtype=int), np.array(weights), np.array(owners)


def fit(pages: list[dict]) -> HistGradientBoostingRegressor:
    """The model of `pages`: a regressor fitted to the mean log-odds of TEACHERS classifiers, each
    trained on the pages of all folds of sites but one (the folds grouped by URL host)."""
    rows, labels, weights, owners = arrays(pages)
    hosts = [page["host"] for page in pages]
    teacher = np.zeros(len(rows))
    for members, _ in GroupKFold(n_splits=TEACHERS).split(pages, groups=hosts):
        chosen = np.isin(owners, members)
        classifier = HistGradientBoostingClassifier(**PARAMETERS)
        classifier.fit(rows[chosen], labels[chosen], sample_weight=weights[chosen])
        teacher += classifier.decision_function(rows) / TEACHERS
    return HistGradientBoostingRegressor(**PARAMETERS).fit(rows, teacher, sample_weight=weights)


def export_trees(model: HistGradientBoostingRegressor) -> tuple[float, list[dict]]:
    """The base log-odds and the trees as flat node lists (see cleaners.trees): a leaf's feature
    is -1; an inner node's value is the mean of its children's, weighted by the training lines
    that reached them, for the attribution of a verdict to the features on its path."""
    trees = []
    for (predictor,) in model._predictors:  # one tree an iteration
        nodes = predictor.nodes
        size = len(nodes)
        value = [float(n["value"]) for n in nodes]
        for k in reversed(range(size)):  # children follow their parent
            if not nodes[k]["is_leaf"]:
                left, right = int(nodes[k]["left"]), int(nodes[k]["right"])
                count = nodes[left]["count"] + nodes[right]["count"]
                value[k] = (nodes[left]["count"] * value[left] + nodes[right]["count"] * value[right]) / max(1, count)
        trees.append(
            {
                "feature": [-1 if n["is_leaf"] else int(n["feature_idx"]) for n in nodes],
                "threshold": [0.0 if n["is_leaf"] else round(float(n["num_threshold"]), 6) for n in nodes],
                "left": [0 if n["is_leaf"] else int(n["left"]) for n in nodes],
                "right": [0 if n["is_leaf"] else int(n["right"]) for n in nodes],
                "value": [round(v, 6) for v in value],
            }
        )
    return round(float(model._baseline_prediction.ravel()[0]), 6), trees


def kept_tokens(
    page: dict, keep_probability: np.ndarray | None, remove_below: float, take_back_above: float
) -> Counter:
    """The page's tokens once the model's verdict (a probability for each judged line) is applied
    to what the rules kept."""
    kept = Counter(page["kept"])
    if keep_probability is not None:
        for i, p in zip(page["judged"], keep_probability, strict=True):
            if not page["taken"][i] and p < remove_below and i not in page["tables"]:
                kept.subtract(page["line_tokens"][i])
            elif page["taken"][i] and p >= take_back_above:
                kept.update(page["line_tokens"][i])
    return +kept


def page_f1(page: dict, keep_probability: np.ndarray | None, remove_below: float, take_back_above: float) -> float:
    return token_scores(kept_tokens(page, keep_probability, remove_below, take_back_above), page["want"])[2]


def out_of_fold(pages: list[dict]) -> list[np.ndarray]:
    """Each page's keep probabilities (of its judged lines) from a model that never saw its site."""
    groups = [page["host"] for page in pages]
    result: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold, (train, test) in enumerate(GroupKFold(n_splits=FOLDS).split(pages, groups=groups), 1):
        model = fit([pages[i] for i in train])
        for i in test:
            if len(pages[i]["rows"]):
                result[i] = probabilities_of(model.predict(pages[i]["rows"]))
        print(f"  cross-validation: fold {fold} of {FOLDS}", file=sys.stderr)
    return result


def choose_thresholds(pages: list[dict], probabilities: list[np.ndarray]) -> tuple[float, float]:
    """The pair of thresholds with the best cross-validated mean page F1, each set weighing the
    same (wcxb-dev's many pages would otherwise decide for L3S-GN1's news); within TOLERANCE of
    it, the pair that removes least and takes back most (losing article text costs a reader more)."""
    sets = sorted({page["set"] for page in pages})
    members = {name: [i for i, page in enumerate(pages) if page["set"] == name] for name in sets}
    results = {}
    for remove in THRESHOLDS:
        for back in THRESHOLDS:
            per_page = [page_f1(p, q, 1 - remove, back) for p, q in zip(pages, probabilities, strict=True)]
            results[remove, back] = float(np.mean([np.mean([per_page[i] for i in members[name]]) for name in sets]))
    best = max(results.values())
    return max((pair for pair, f1 in results.items() if f1 >= best - TOLERANCE), key=lambda pair: (pair[0], -pair[1]))


def report(pages: list[dict], probabilities: list[np.ndarray], remove: float, back: float) -> list[str]:
    """Mean token F1 per set (and per wcxb-dev page type): the rules alone, then with the model;
    and the share of the gold texts' words removed when each is cleaned alone."""
    groups: dict[str, list[int]] = {}
    texts_alone: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        if page["kind"] == GOLD_ALONE:
            texts_alone.setdefault(f"{page['set']} {GOLD_ALONE}, {page['layout']}", []).append(i)
            continue
        if page["layout"] != SCRAPED:
            groups.setdefault(f"{page['set']}, {page['layout']}", []).append(i)
            continue
        groups.setdefault(page["set"], []).append(i)
        if page["set"] == "wcxb-dev":
            groups.setdefault(f"wcxb-dev {page['page_type']}", []).append(i)
    lines = []
    for name, members in sorted(groups.items()):
        alone = np.mean([page_f1(pages[i], None, 0, 2) for i in members])
        model = np.mean([page_f1(pages[i], probabilities[i], 1 - remove, back) for i in members])
        lines.append(f"{name:<52} {len(members):>5} pages  rules alone {alone:.3f}  with the model {model:.3f}")
    for name, members in sorted(texts_alone.items()):
        words = sum(sum(pages[i]["want"].values()) for i in members)
        kept = [
            sum(sum(kept_tokens(pages[i], verdicts[i], 1 - remove, back).values()) for i in members)
            for verdicts in ([None] * len(pages), probabilities)
        ]
        removed = [f"{1 - count / max(1, words):.1%}" for count in kept]
        lines.append(
            f"{name:<52} {len(members):>5} texts  words removed: rules alone {removed[0]}  with the model {removed[1]}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="where to write the model (default: cleaners/line_model.json)")
    parser.add_argument("--cache", type=Path, help="keep the collected features here (for experiments)")
    parser.add_argument(
        "--without-sites",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="leave this share of the training sites out, chosen at random by --seed, and keep the shipped "
        "model's thresholds (no cross-validation): models trained so, cleaning a set never trained on, show "
        "how far retraining alone moves its figure, the spread a rule's gain must exceed",
    )
    parser.add_argument("--seed", type=int, default=1, help="which sites --without-sites leaves out")
    args = parser.parse_args()
    if not 0.0 <= args.without_sites < 1.0:
        parser.error("--without-sites takes a share from 0 to below 1, e.g. 0.03")
    if args.without_sites and args.out is None:
        parser.error("--without-sites needs --out: a model trained without some sites is not the one to ship")
    args.out = args.out or REPO / "cleaners" / "line_model.json"
    if args.cache and args.cache.exists():
        pages = pickle.loads(args.cache.read_bytes())
    else:
        pages = collect(training_golds(), rules_only_cleaner())
        if args.cache:
            args.cache.write_bytes(pickle.dumps(pages))
    if args.without_sites:
        hosts = sorted({page["host"] for page in pages})
        left_out = set(np.random.default_rng(args.seed).choice(hosts, int(len(hosts) * args.without_sites), False))
        pages = [page for page in pages if page["host"] not in left_out]
        shipped = load_model()
        remove, back = shipped.remove_at, shipped.take_back_at
        figures = [f"not cross-validated: {len(left_out)} of {len(hosts)} sites left out (seed {args.seed})"]
        print(f"{figures[0]}; the shipped thresholds {remove}, {back}")
    else:
        probabilities = out_of_fold(pages)
        scraped = [i for i, page in enumerate(pages) if page["kind"] == "page"]
        remove, back = choose_thresholds([pages[i] for i in scraped], [probabilities[i] for i in scraped])
        print(f"thresholds: remove when P(boilerplate) >= {remove}, take back when P(article) >= {back}")
        figures = report(pages, probabilities, remove, back)
        for line in figures:
            print(line)
    model = fit(pages)
    base, trees = export_trees(model)
    _, labels, _, _ = arrays(pages)
    payload = {
        "kind": "gradient-boosted trees over line features; log-odds that a line is the article's",
        "distilled_from": f"the mean log-odds of {TEACHERS} classifiers, each trained without one fold of sites",
        "features": list(FEATURE_NAMES),
        "remove_at": remove,
        "take_back_at": back,
        "scripts": training_scripts(training_golds()),
        "base": base,
        "trained": {
            "on": "wcxb-dev (all pages) and L3S-GN1 (the documents whose id sorts in the first half), "
            "and the gold texts of those pages alone",
            "pages": sum(1 for page in pages if page["kind"] == "page" and page["layout"] == SCRAPED),
            "layouts": [SCRAPED, SPACED],
            "gold_texts_alone_weight": CLEAN_TEXT_WEIGHT,
            "lines": len(labels),
            "article_share": round(float(labels.mean()), 4),
            "parameters": PARAMETERS,
            "scikit_learn": sklearn.__version__,
            "site_grouped_cross_validation": figures,
        },
        "trees": trees,
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
