"""Every repository of a SQL unit of work, made in one place for each SQL adapter."""

from __future__ import annotations

from typing import cast

from retail_service_quality.storage.sqlite._actions import SQLiteActions
from retail_service_quality.storage.sqlite._awards import SQLiteAwards
from retail_service_quality.storage.sqlite._complaints import SQLiteComplaints
from retail_service_quality.storage.sqlite._customers import SQLiteCustomers
from retail_service_quality.storage.sqlite._documents import SQLiteDocuments
from retail_service_quality.storage.sqlite._interactions import SQLiteInteractions
from retail_service_quality.storage.sqlite._pledges import SQLitePledges
from retail_service_quality.storage.sqlite._privacy import (
    SQLiteConsent,
    SQLiteDataUses,
    SQLiteLegalHolds,
    SQLitePrivacyRequests,
    SQLiteSuppression,
)
from retail_service_quality.storage.sqlite._repository import SQLUnitOfWork
from retail_service_quality.storage.sqlite._reviews import SQLiteReviews
from retail_service_quality.storage.sqlite._surveys import SQLiteSurveys
from retail_service_quality.storage.sqlite._training import sqlite_training

__all__ = ["SQLRepositories"]


class SQLRepositories:
    """The port's repositories, on the SQL the SQLite and PostgreSQL adapters share."""

    def _attach_repositories(self) -> None:
        uow = cast(SQLUnitOfWork, self)
        self.customers = SQLiteCustomers(uow)
        self.interactions = SQLiteInteractions(uow)
        self.complaints = SQLiteComplaints(uow)
        self.consent = SQLiteConsent(uow)
        self.data_uses = SQLiteDataUses(uow)
        self.suppression = SQLiteSuppression(uow)
        self.privacy_requests = SQLitePrivacyRequests(uow)
        self.legal_holds = SQLiteLegalHolds(uow)
        self.pledges = SQLitePledges(uow)
        self.surveys = SQLiteSurveys(uow)
        self.reviews = SQLiteReviews(uow)
        self.documents = SQLiteDocuments(uow)
        self.training = sqlite_training(uow)
        self.actions = SQLiteActions(uow)
        self.awards = SQLiteAwards(uow)
