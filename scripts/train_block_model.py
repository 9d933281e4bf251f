#!/usr/bin/env python3
"""Trains the block model shipped as cleaners/block_model.json.

Training data: the L3S-GN1 documents whose id sorts in the first half (../shared/bench/l3s-gn1),
cleaned by every rule but the model itself, each line the rules left labelled by the benchmark's
gold (lines the gold does not require either way are left out). The other half of L3S-GN1 and all
of ScrapingHub are never read here: bench/quality reports the figures on them.

The model is scikit-learn's logistic regression on standardized features, each line weighted by
its words (the benchmark scores words, not lines). The threshold comes from 5-fold cross-validation
by document on the training half only: the highest threshold whose mean token F1 is within
TOLERANCE of the best. Where the training data cannot tell thresholds apart, the one that removes
less wins, because losing article text costs a reader more than a leftover line of debris.

    .venv/bin/pip install -c constraints.txt -e '.[train]'
    .venv/bin/python scripts/train_block_model.py [--bench ../shared/bench/l3s-gn1] [--out cleaners/block_model.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaners.accounting import cut_removals  # noqa: E402
from cleaners.block_features import FEATURE_NAMES, block_features  # noqa: E402
from cleaners.pipeline import Cleaner  # noqa: E402
from cleaners.registry import rule_ids  # noqa: E402
from cleaners.settings import default_settings_text  # noqa: E402
from flows.evaluate import token_scores, tokens  # noqa: E402

BATCH = 200
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(13)]
TOLERANCE = 0.002


def training_documents(bench: Path) -> list[dict]:
    golds = sorted((json.loads(line) for line in (bench / "gold.jsonl").open(encoding="utf-8")), key=lambda g: g["id"])
    return golds[: len(golds) // 2]


def rules_only_cleaner() -> Cleaner:
    """Every rule but the model's own: the model learns what the rules leave."""
    settings = tomllib.loads(default_settings_text())
    for rule in rule_ids(needs_model=True):
        settings["rules"][rule]["enabled"] = False
    settings["rules_version"] = "training"
    return Cleaner(settings)


def collect(bench: Path, golds: list[dict]) -> list[dict]:
    """Per document: its lines' features, labels (None: not required), words, and the token counts
    of what the rules kept and of the gold text."""
    cleaner = rules_only_cleaner()
    config = cleaner.settings["block_model"]
    documents = []
    for start in range(0, len(golds), BATCH):
        chunk = golds[start : start + BATCH]
        texts = [(bench / "raw" / g["source"]).read_text(encoding="utf-8") for g in chunk]
        stats = cleaner.batch_stats(texts)
        for gold, text in zip(chunk, texts, strict=True):
            view, removals = cleaner.apply_rules(text, stats)
            segments = {s["start"]: s for s in gold["segments"]}
            lines = []
            for block, values in block_features(view, config):
                segment = segments.get(block.start)
                label = None
                if segment is not None and segment["required"]:
                    label = int(segment["label"] != "keep")
                lines.append((values, label, tokens(block.text)))
            documents.append(
                {
                    "id": gold["id"],
                    "lines": lines,
                    "kept": tokens(cut_removals(text, removals.merged())),
                    "want": tokens(gold["gold_text"]),
                }
            )
    return documents


def training_arrays(documents: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows, labels, weights, groups = [], [], [], []
    for number, document in enumerate(documents):
        for values, label, words in document["lines"]:
            if label is not None:
                rows.append(values)
                labels.append(label)
                weights.append(max(1, sum(words.values())))
                groups.append(number)
    return np.array(rows), np.array(labels), np.array(weights, dtype=float), np.array(groups)


def fit(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(rows)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(rows), labels, sample_weight=weights)
    return scaler, model


def mean_token_f1(documents: list[dict], probabilities: list[np.ndarray], threshold: float) -> float:
    scores = []
    for document, probability in zip(documents, probabilities, strict=True):
        kept = Counter(document["kept"])
        for (_, _, words), p in zip(document["lines"], probability, strict=True):
            if p >= threshold:
                kept.subtract(words)
        scores.append(token_scores(+kept, document["want"])[2])
    return float(np.mean(scores))


def choose_threshold(documents: list[dict]) -> tuple[float, dict[float, float]]:
    """The highest threshold within TOLERANCE of the best mean token F1 on out-of-fold probabilities."""
    rows, labels, weights, groups = training_arrays(documents)
    out_of_fold = np.zeros(len(documents), dtype=object)
    for train_index, _ in GroupKFold(n_splits=5).split(rows, labels, groups):
        train_docs = set(groups[train_index])
        scaler, model = fit(rows[train_index], labels[train_index], weights[train_index])
        for number, document in enumerate(documents):
            if number in train_docs or not document["lines"]:
                continue
            values = np.array([v for v, _, _ in document["lines"]])
            out_of_fold[number] = model.predict_proba(scaler.transform(values))[:, 1]
    probabilities = [p if isinstance(p, np.ndarray) else np.zeros(0) for p in out_of_fold]
    by_threshold = {t: mean_token_f1(documents, probabilities, t) for t in THRESHOLDS}
    best = max(by_threshold.values())
    return max(t for t, f1 in by_threshold.items() if f1 >= best - TOLERANCE), by_threshold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench" / "l3s-gn1")
    parser.add_argument("--out", type=Path, default=REPO / "cleaners" / "block_model.json")
    args = parser.parse_args()

    golds = training_documents(args.bench)
    print(f"training on {len(golds)} documents of {args.bench.name}: ids {golds[0]['id']} .. {golds[-1]['id']}")
    documents = collect(args.bench, golds)
    threshold, by_threshold = choose_threshold(documents)
    for t, f1 in by_threshold.items():
        print(f"  threshold {t:.2f}: cross-validated mean token F1 {f1:.4f}{'  <- chosen' if t == threshold else ''}")
    rows, labels, weights, _ = training_arrays(documents)
    scaler, model = fit(rows, labels, weights)
    rules_only = mean_token_f1(documents, [np.zeros(len(d["lines"])) for d in documents], 2.0)
    payload = {
        "kind": "logistic regression on standardized block features",
        "features": list(FEATURE_NAMES),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "trained": {
            "on": f"{args.bench.name}, the {len(golds)} documents whose id sorts in the first half",
            "first_id": golds[0]["id"],
            "last_id": golds[-1]["id"],
            "lines": len(labels),
            "boilerplate_share": round(float(labels.mean()), 4),
            "cross_validated_token_f1": round(by_threshold[threshold], 4),
            "rules_only_token_f1": round(rules_only, 4),
            "scikit_learn": sklearn.__version__,
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        },
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"rules only {rules_only:.4f}; with the model (cross-validated) {by_threshold[threshold]:.4f}")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
