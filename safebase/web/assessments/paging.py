"""How a questionnaire is split into pages: a few items per page, one page per relationship."""

from __future__ import annotations

from safebase.core.instrument import Instrument, Item

PAGE_SIZE = 6


def pages_for(inst: Instrument) -> list[list[Item]]:
    if inst.spec.targets:
        by_target: dict[str, list[Item]] = {}
        for item in inst.items:
            assert item.target is not None
            by_target.setdefault(item.target.id, []).append(item)
        return list(by_target.values())
    items = list(inst.items)
    return [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]


def first_open_page(inst: Instrument, answers: dict[str, int]) -> int:
    """The first page with an unanswered item, so a closed tab resumes where it stopped."""
    pages = pages_for(inst)
    for number, page in enumerate(pages, start=1):
        if any(item.key not in answers for item in page):
            return number
    return len(pages)
