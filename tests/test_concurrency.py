"""Two members saving the same draft at the same instant, on real, separate database connections.

This runs outside the per-test rollback: it commits through its own engine and cleans up.
On PostgreSQL the second UPDATE waits for the first transaction, then matches no row
(the lock version moved on) and is refused. On SQLite the second writer's snapshot is
stale and the write is refused by the database. Either way the first save survives.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from r2p_network.assessments import default_template
from r2p_network.extensions import db
from r2p_network.models import Assessment, Base, Network, StrategyTemplate, TemplateVersion
from r2p_network.reference import load_reference_data


@pytest.fixture
def engine(app, tmp_path):
    if db.engine.dialect.name == "postgresql":
        yield db.engine
        return
    engine = create_engine(f"sqlite:///{tmp_path}/race.sqlite", connect_args={"timeout": 10})
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_reference_data(session)
        session.commit()
    yield engine
    engine.dispose()


def test_concurrent_saves_of_one_draft_lose_nothing(engine):
    with Session(engine) as session:
        template_id = session.scalar(
            select(TemplateVersion.id)
            .join(StrategyTemplate)
            .where(StrategyTemplate.slug == default_template.SLUG)
        )
        assessment = Assessment(
            country_iso3="GHA",
            network=Network.GOVERNMENT,
            title="Race",
            template_version_id=template_id,
            answers={},
        )
        session.add(assessment)
        session.commit()
        assessment_id = assessment.id
    try:
        first, second = Session(engine), Session(engine)
        a = first.get(Assessment, assessment_id)
        b = second.get(Assessment, assessment_id)
        assert a.lock_version == b.lock_version == 1

        a.answers = {"rf01_judgement": "some_concern"}
        first.flush()  # the first UPDATE holds the row (PostgreSQL) or the write lock (SQLite)

        outcome: dict[str, BaseException | None] = {}

        def second_save() -> None:
            b.answers = {"rf01_judgement": "no_concern"}
            try:
                second.commit()
                outcome["error"] = None
            except (StaleDataError, OperationalError) as error:
                second.rollback()
                outcome["error"] = error

        thread = threading.Thread(target=second_save)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second save must wait for the first transaction"
        first.commit()
        thread.join(timeout=15)
        assert not thread.is_alive()
        assert outcome["error"] is not None, "the second save must be refused"
        if engine.dialect.name == "postgresql":
            assert isinstance(outcome["error"], StaleDataError)
        first.close()
        second.close()

        with Session(engine) as check:
            saved = check.get(Assessment, assessment_id)
            assert saved.answers == {"rf01_judgement": "some_concern"}
            assert saved.lock_version == 2
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(Assessment).where(Assessment.id == assessment_id))
            cleanup.commit()
