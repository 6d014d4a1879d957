"""Rates are computed by the build and the service, never typed in: percentages and means with
two decimals, rounded half-up (91.435 → 91.44), as published results must show them. Staff
pages, the API and the portal all compute through here, so they always agree. What residents
read on the portal (`shown`) keeps one decimal below 30 answers: 100.00% of 6 ratings claims a
precision six ratings do not have."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from . import schema

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
FEW = 30                    # fewer answers than this: one decimal on the portal
# One word for one figure: 好差评 ratings give a 好评率; satisfaction surveys and 测评 a 满意率.
RATE_NAMES = {"好差评": "好评率"}
COUNT_NAMES = {"好评率": "好评数", "满意率": "满意数"}     # the count each rate divides


def rate_name(kind: str) -> str:
    """What a survey kind calls its headline rate."""
    return RATE_NAMES.get(kind, "满意率")


def count_name(rate: str) -> str:
    """The count a rate is computed from: 好评数 for 好评率, 满意数 for 满意率."""
    return COUNT_NAMES.get(rate, "计入人数")


def percent(part: int, total: int) -> str:
    """`part` of `total` as a percentage string with two decimals; "" when total is 0."""
    if total == 0:
        return ""
    value = (Decimal(part) * 100 / Decimal(total)).quantize(CENT, ROUND_HALF_UP)
    return f"{value}"


def shown(part: int, total: int) -> str:
    """The percentage a reader sees: `percent` (two decimals) from FEW answers up, one decimal
    (half-up) below; "" when total is 0. The numbers the API and exports give are `percent`."""
    if total == 0 or total >= FEW:
        return percent(part, total)
    return f"{(Decimal(part) * 100 / Decimal(total)).quantize(TENTH, ROUND_HALF_UP)}"


def mean(values: Iterable[int]) -> str:
    """The mean with two decimals ("2.50"); "" when there are no values."""
    values = list(values)
    if not values:
        return ""
    return f"{(Decimal(sum(values)) / Decimal(len(values))).quantize(CENT, ROUND_HALF_UP)}"


def nps_groups(answers: dict[int, int]) -> tuple[int, int, int]:
    """(promoters, passives, detractors) from counts per 0–10 answer."""
    lo, hi = schema.NPS_PROMOTERS
    dlo, dhi = schema.NPS_DETRACTORS
    promoters = sum(n for v, n in answers.items() if lo <= v <= hi)
    detractors = sum(n for v, n in answers.items() if dlo <= v <= dhi)
    return promoters, sum(answers.values()) - promoters - detractors, detractors


def nps(answers: dict[int, int]) -> str:
    """Net promoter score: promoters' minus detractors' share of everyone who answered, as a
    percentage with two decimals ("25.00"); "" when nobody answered."""
    promoters, _, detractors = nps_groups(answers)
    return percent(promoters - detractors, sum(answers.values()))


# --- rates on declared scales (portal.schema.SCALES) ----------------------------------------
# 民主测评 practice (domain_fidelity.md §5.2): 满意率 = (满意 + 基本满意) ÷ 有效票; 弃权 is counted
# and shown, and left out of the denominator when the survey says so. A 满意度指数 is a
# different figure: Σ weight × count ÷ the same denominator.

def valid(counts: Mapping[str, int], exclude_abstain: bool = True) -> int:
    """The denominator: everyone who answered, less 弃权 when it is excluded."""
    total = sum(counts.values())
    return total - counts.get(schema.ABSTAIN, 0) if exclude_abstain else total


def satisfied_count(counts: Mapping[str, int], levels: Iterable[str]) -> int:
    return sum(counts.get(level, 0) for level in levels)


def index(counts: Mapping[str, int], weights: Iterable[tuple[str, int]], exclude_abstain: bool = True) -> str:
    """Σ weight × count ÷ valid answers, two decimals half-up; "" without weights or answers."""
    weights = list(weights)
    total = valid(counts, exclude_abstain)
    if not weights or total == 0:
        return ""
    score = sum(Decimal(w) * counts.get(level, 0) for level, w in weights)
    return f"{(score / Decimal(total)).quantize(CENT, ROUND_HALF_UP)}"


def formula(rate: str, levels: Iterable[str], abstain: bool = False, exclude_abstain: bool = True,
            answered: str = "作答人数") -> str:
    """The formula a rate was computed with, in the words a results page prints, e.g.
    满意率 =（满意 + 基本满意）÷（作答人数 − 弃权）× 100%."""
    levels = list(levels)
    top = f"（{' + '.join(levels)}）" if len(levels) > 1 else levels[0] if levels else "0"
    bottom = f"（{answered} − {schema.ABSTAIN}）" if abstain and exclude_abstain else answered
    return f"{rate} = {top} ÷ {bottom} × 100%"


def index_formula(weights: Iterable[tuple[str, int]], abstain: bool = False, exclude_abstain: bool = True,
                  answered: str = "作答人数") -> str:
    """满意度指数 = Σ（分值 × 人数）÷ 作答人数，with each level's declared weight."""
    bottom = f"（{answered} − {schema.ABSTAIN}）" if abstain and exclude_abstain else answered
    each = "、".join(f"{level} {w} 分" for level, w in weights)
    return f"{schema.INDEX_NAME} = Σ（各等级分值 × 人数）÷ {bottom}（分值：{each}）"
