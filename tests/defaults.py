"""A pytest plugin loaded before Django is set up (`-p tests.defaults` in pyproject.toml).

Tests run with the laptop defaults unless the environment says otherwise: CI exports DATABASE_URL
and REDIS_URL, and keeps DEBUG on so the test client is not redirected to HTTPS.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
