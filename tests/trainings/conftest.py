"""Fixtures of the trainings tests: a session and an e-mail helper."""

from __future__ import annotations

import pytest

from tests.trainings.factories import TrainingSessionFactory


@pytest.fixture
def session(db):
    return TrainingSessionFactory(capacity=2)
