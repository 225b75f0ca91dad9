"""Input validation, seeding, device choice and text-aware estimator checks."""

from ._device import resolve_device
from ._seeding import seed_from_random_state

__all__ = ["resolve_device", "seed_from_random_state"]
