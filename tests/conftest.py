"""Test-session settings."""

import os

# Tests use local models only: a hub name must fail at once instead of retrying for a
# minute on a machine without internet (set before huggingface_hub is imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
