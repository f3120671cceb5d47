"""/api/v1/ for challenges. Thin: parse, call one service (writes) or a selector (reads), serialise.

Objects a user may not see answer 404, never 403, so a probe cannot learn that a bid or an
invitation-only challenge exists. Routes: challenges/api_urls.py.
"""
