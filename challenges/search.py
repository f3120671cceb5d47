"""The board's text search in the Chinese gram index (platform_core/search.py explains it).

Before, the board filtered `title ILIKE %q% OR statement ILIKE %q%`: every challenge's statement
read for a word, 100-300 ms at 10,000 challenges (docs/performance.md, "Data at scale"), and the
query had to appear as typed (two words in another order found nothing). Now each term of the
query must be in the title or the statement, found through the index; the board keeps its own
sort order (no relevance).
"""

from __future__ import annotations

from platform_core.search import GramIndex, grams

CHALLENGES = GramIndex(
    model="challenges.Challenge",
    table="challenges_challenge",
    gin_name="challenge_search_vector_gin",
    texts=("title", "statement"),
    weights=(("title", 2), ("statement", 1)),
    phrase_texts=("title", "statement"),
)


def challenge_grams(title: str, statement: str) -> str:
    """What a challenge's `search_grams` holds: whoever writes title or statement sets it."""
    return grams(title, statement)
