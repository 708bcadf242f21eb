"""Shared test configuration: hypothesis profiles.

``dev`` (the default) is quick; ``ci`` (chosen when ``CI`` is set, or with
``HYPOTHESIS_PROFILE=ci``) runs more examples, derandomized so a CI run is
reproducible; ``thorough`` is for a long local run before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
