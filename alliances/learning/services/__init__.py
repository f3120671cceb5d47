"""Every write of the learning app: courses and lessons (courses.py), enrolment, progress and
completion (progress.py), live sessions and their reminders (sessions.py)."""
