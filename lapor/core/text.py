"""Comparing names as people mean them."""


def same_words(text: str | None) -> str:
    """``text`` folded for comparison: case and runs of spaces aside ("Dinas  pupr " and
    "Dinas PUPR" are one name). For names that must not be given twice (sibling units, an
    agency's answer templates) and names that must match (a resident's registered name)."""
    return " ".join((text or "").split()).casefold()
