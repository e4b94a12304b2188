"""IKM (Indeks Kepuasan Masyarakat) by PermenPAN-RB 14/2017.

Each respondent scores the nine elements 1–4. The element's value (NRR) is the mean of its
scores; the index is the weighted mean of the nine NRR (equal weights, 1/9 each), which
lands between 1 and 4, converted to 25–100 by × 25. The grade (mutu pelayanan) follows the
regulation's "nilai interval konversi" bands (docs/transparency.md has the whole table and
where it was checked); on the 1–4 scale they are 1,00–2,5996 D, 2,60–3,064 C,
3,0644–3,532 B and 3,5324–4,00 A.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

# (lowest IKM of the band, grade, performance) — highest first.
BANDS = [
    (Decimal("88.31"), "A", _("Sangat Baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang Baik")),
    (Decimal("25.00"), "D", _("Tidak Baik")),
]


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    element_means: list[float]  # NRR per element, in element order
    index: Decimal | None  # 25.00–100.00, two decimals
    grade: str | None
    performance: str | None


def grade_for(index: Decimal) -> tuple[str, str]:
    """The grade letter and its meaning for an IKM value (two decimals, as published)."""
    index = Decimal(index).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    for low, grade, label in BANDS:
        if index >= low:
            return grade, str(label)
    return "D", str(BANDS[-1][2])


def compute(element_means: list[float], respondents: int) -> IkmResult:
    if respondents == 0:
        return IkmResult(0, [], None, None, None)
    nrr_weighted = sum(Decimal(str(m)) for m in element_means) / Decimal(len(element_means))
    index = (nrr_weighted * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, label = grade_for(index)
    return IkmResult(respondents, [round(m, 3) for m in element_means], index, grade, label)


def survey_result(responses) -> IkmResult:
    """The IKM of a queryset of ``IkmResponse`` (one aggregate query)."""
    agg = responses.aggregate(n=Count("id"), **{f"m{i}": Avg(f"u{i}") for i in range(1, 10)})
    if not agg["n"]:
        return compute([], 0)
    return compute([float(agg[f"m{i}"]) for i in range(1, 10)], agg["n"])
