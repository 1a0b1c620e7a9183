"""Writing the evaluation report: ``metrics.json`` next to the weights, and ``docs/MODEL_CARD.md`` for people.

The card's fixed text (what the model is, its data and licences, known failure modes) lives in
``model_card_text.md`` beside this module; the tables are rendered from the report so that they always show
the numbers of the last ``train`` / ``evaluate`` run, with its command and date.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from classifiers.training.evaluate import KOUTLI_LINES
from classifiers.training.examples import APART_SETS

METRICS_FILE = "metrics.json"
TEXT_FILE = Path(__file__).parent / "model_card_text.md"
DEV_COLUMNS = ("grooming", "recall", "early", "warn_plus", "benign", "false_alarm", "review_load")


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, Mapping):
        return {str(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def write_metrics(report: Mapping[str, Any], weights_dir: Path | None) -> Path:
    """Write the report as JSON beside the weights (the quality tests compare against it)."""
    from classifiers.scorer import WEIGHTS_DIR

    path = (weights_dir or WEIGHTS_DIR) / METRICS_FILE
    path.write_text(json.dumps(_clean(report), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{100 * value:.1f} %" if percent else f"{value:.2f}"
    return str(value)


def _dev_table(reports: Mapping[str, Any], part: str = "dev") -> list[str]:
    lines = [
        "| scorer | lang | grooming | recall | early | warn+ | benign | false-alarm | review-load | others punished |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, report in reports.items():
        for lang, row in report.get(part, {}).get("conversations", {}).items():
            cells = " | ".join(_fmt(row[column]) for column in DEV_COLUMNS)
            lines.append(f"| {mode} | {lang} | {cells} | {row['others_punished']} |")
    return lines


def _stage_table(report: Mapping[str, Any]) -> list[str]:
    lines = ["| stage | precision | recall | support |", "|---|---|---|---|"]
    for stage, row in report["dev"]["stages"].items():
        lines.append(f"| {stage} | {_fmt(row['precision'])} | {_fmt(row['recall'])} | {row['support']} |")
    return lines


def _benign_table(reports: Mapping[str, Any]) -> list[str]:
    lines = [
        "| scorer | corpus | lang | messages | punitive / 10k | review+warn / 10k |",
        "|---|---|---|---|---|---|",
    ]
    for mode, report in reports.items():
        benign = report.get("benign")
        if not benign:
            continue
        rows = [(name, row["lang"], row) for name, row in benign["sources"].items()]
        rows += [(f"**all {lang}**", lang, row) for lang, row in benign["languages"].items()]
        for name, lang, row in rows:
            lines.append(
                f"| {mode} | {name} | {lang} | {row['messages']} | {row['punitive_per_10k']:.1f} | "
                f"{row['review_warn_per_10k']:.1f} |"
            )
    return lines


def _pj_table(reports: Mapping[str, Any]) -> list[str]:
    lines = [
        "| scorer | offenders (bf-psr) | actioned | msgs to 1st action (median / p90) | offender msgs (median) "
        "| latency F1 | decoy msgs punished / reviewed or warned | decoy sides punished / reviewed or warned "
        f"| Koutli cases | actioned within {KOUTLI_LINES} lines / whole "
        f"| offender lines to action, within {KOUTLI_LINES} (median / p90) / whole (median / p90) "
        "| one-sided decoys punished / actioned | interleaved: offenders actioned, decoys punished / actioned |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, report in reports.items():
        pj = report.get("perverted_justice")
        if not pj:
            continue
        bf, decoy = pj["bf_psr"], pj["decoy_side"]
        whole = pj.get("koutli_whole", {})
        whole_lines = whole.get("lines_to_action", {})
        both = pj.get("koutli_interleaved", {})
        lines.append(
            f"| {mode} | {pj['bf_psr_offenders']} | {_fmt(bf['recall'], True)} | "
            f"{_fmt(bf['median_messages'])} / {_fmt(bf['p90_messages'])} | "
            f"{_fmt(pj['bf_psr_offender_messages_to_action']['median'])} | {_fmt(bf['latency_f1'])} | "
            f"{_fmt(decoy['punished_share'], True)} / {_fmt(decoy.get('reviewed_share'), True)} | "
            f"{_fmt(pj.get('bf_psr_decoys_punished'), True)} / {_fmt(pj.get('bf_psr_decoys_reviewed'), True)} | "
            f"{pj['koutli_cases']} | "
            f"{_fmt(pj['koutli_actioned'], True)} / {_fmt(whole.get('actioned'), True)} | "
            f"{_fmt(pj['koutli_messages_to_action']['median'])} / {_fmt(pj['koutli_messages_to_action']['p90'])} / "
            f"{_fmt(whole_lines.get('median'))} / {_fmt(whole_lines.get('p90'))} | "
            f"{_fmt(pj['koutli_decoys_punished'], True)} / "
            f"{_fmt(pj['koutli_decoys_actioned'], True)} | "
            f"{_fmt(both.get('offenders_actioned'), True)}, {_fmt(both.get('decoys_punished'), True)} / "
            f"{_fmt(both.get('decoys_actioned'), True)} |"
        )
    return lines


def _throughput(reports: Mapping[str, Any]) -> list[str]:
    lines = ["| scorer | " + " | ".join(f"{lang} msgs/s" for lang in ("en", "zh", "mixed")) + " |", "|---|---|---|---|"]
    for mode, report in reports.items():
        rates = report["throughput"]
        cells = (f"{rates[lang]:.0f}" if lang in rates else "–" for lang in ("en", "zh", "mixed"))
        lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    return lines


def render(report: Mapping[str, Any]) -> str:
    """The model card's Markdown."""
    reports = report["reports"]
    sections = {
        "{{command}}": f"`{report['command']}` on {report['date']}",
        "{{versions}}": ", ".join(f"{mode}: `{r['version']}`" for mode, r in reports.items()),
        "{{dev_table}}": "\n".join(_dev_table(reports)),
        **{"{{" + name + "_table}}": "\n".join(_dev_table(reports, name)) for name in APART_SETS},
        "{{stage_table}}": "\n".join(_stage_table(reports.get("full") or next(iter(reports.values())))),
        "{{benign_table}}": "\n".join(_benign_table(reports)),
        "{{pj_table}}": "\n".join(_pj_table(reports)),
        "{{throughput_table}}": "\n".join(_throughput(reports)),
    }
    text = TEXT_FILE.read_text(encoding="utf-8")
    for marker, value in sections.items():
        text = text.replace(marker, value)
    return text


def write_card(report: Mapping[str, Any], path: Path) -> Path:
    """Render the model card into ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(_clean(report)), encoding="utf-8")
    return path
