"""Test support shipped with the library: hypothesis strategies and the storage contract suite.

- `retail_service_quality.testing.strategies`: hypothesis strategies for the
  library's objects, aimed at the hard cases (repeated DST hours in both folds,
  half-hour zones, years 1900 to 2300, calendars with holiday countries).
- `retail_service_quality.testing.contract`: `StoreContract`, the test suite
  every storage adapter must pass, and `compare_stores`, a stateful test that
  drives an adapter and the in-memory store side by side.

Importing this package needs nothing beyond the library; its modules need
`hypothesis` (and the contract suite `pytest`):
``pip install 'retail-service-quality[testing]'``.
"""
