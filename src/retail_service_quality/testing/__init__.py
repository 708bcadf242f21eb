"""Test support shipped with the library: hypothesis strategies (and, as storage
arrives, the contract suite that every storage adapter must pass).

Importing this package needs nothing beyond the library; its `strategies`
module needs `hypothesis` (``pip install 'retail-service-quality[testing]'``).
"""
