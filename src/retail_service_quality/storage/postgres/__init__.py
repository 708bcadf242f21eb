"""The PostgreSQL adapter: the storage port on a PostgreSQL database, with psycopg 3.

Install it with the ``postgres`` extra: ``pip install 'retail-service-quality[postgres]'``.
Importing this module needs no driver; opening a store does.

Examples:
    >>> import os
    >>> from retail_service_quality.storage.postgres import PostgresStore
    >>> with PostgresStore(os.environ["RSQ_TEST_POSTGRES"], schema="doc_store") as store:
    ...     with store.unit_of_work(read_only=True) as uow:
    ...         uow.complaints.count()
    0
"""

from retail_service_quality.storage.postgres._store import PostgresStore

__all__ = ["PostgresStore"]
