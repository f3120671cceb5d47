"""HTML pages, one module per area (home, accounts, notifications, studios; the domains add theirs).

Each module holds its views and its `urlpatterns` under an `app_name` namespace, so an area's
pages live in one place; `frontend/urls.py` includes each module once. Views parse input, call a
selector or a service, and render: no rules here.
"""
