"""Open data frozen with each published version, served as a file; the live catalogue cached and rate-limited."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from exports.models import ReportVersion
from tests import factories


def _ids(body: bytes) -> set[int]:
    return {int(row["identifiant"]) for row in csv.DictReader(io.StringIO(body.decode("utf-8")))}


def _publish(client_as, world, as_of: str) -> None:
    response = client_as("admin").post(f"/programmes/{world.programme.slug}/rapport/publier", data={"as_of": as_of})
    assert response.status_code == 302


def test_a_version_freezes_the_catalogue_as_it_stood_on_its_cut_off(client_as, db, world):
    world.own_irritant.created_at = datetime(2024, 6, 1, tzinfo=timezone.utc)  # found at the May workshop
    db.add(world.own_irritant)
    db.commit()
    _publish(client_as, world, "2024-12-10")
    later = factories.irritant(db, world.programme, world.own, status="qualified", title="Relevé après la version")
    db.commit()
    anonymous, slug = client_as("anonymous"), world.programme.slug
    frozen = anonymous.get(f"/donnees-ouvertes/{slug}/versions/1/irritants.csv")
    assert frozen.status_code == 200
    assert world.own_irritant.id in _ids(frozen.data)
    assert later.id not in _ids(frozen.data)  # recorded after the 10th of December 2024
    package = anonymous.get(f"/donnees-ouvertes/{slug}/versions/1/datapackage.json").get_json()
    assert package["version"] == "2024-12-10" and "Données arrêtées au 10/12/2024." in package["description"]
    # The catalogue's own address now serves that same file: the open data agrees with the published report.
    latest = anonymous.get(f"/donnees-ouvertes/{slug}/irritants.csv")
    assert latest.data == frozen.data
    page = anonymous.get(f"/donnees-ouvertes/{slug}").get_data(as_text=True)
    assert "version 1 du rapport, aux données arrêtées au 10 décembre 2024, et ne seront plus modifiés" in page


def test_frozen_files_carry_cache_headers_and_answer_304_when_unchanged(client_as, db, world):
    _publish(client_as, world, "2026-01-31")
    anonymous, slug = client_as("anonymous"), world.programme.slug
    frozen = anonymous.get(f"/donnees-ouvertes/{slug}/versions/1/irritants.csv")
    assert "immutable" in frozen.headers["Cache-Control"] and "max-age=31536000" in frozen.headers["Cache-Control"]
    again = anonymous.get(f"/donnees-ouvertes/{slug}/versions/1/irritants.csv",
                          headers={"If-None-Match": frozen.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    latest = anonymous.get(f"/donnees-ouvertes/{slug}/irritants.csv")
    assert "max-age=600" in latest.headers["Cache-Control"] and "immutable" not in latest.headers["Cache-Control"]
    assert anonymous.get(f"/donnees-ouvertes/{slug}/versions/2/irritants.csv").status_code == 404


def test_a_version_still_rendering_has_no_open_data_to_serve(client_as, db, world):
    db.add(ReportVersion(programme_id=world.programme.id, number=1, status="rendering"))
    db.commit()
    response = client_as("anonymous").get(f"/donnees-ouvertes/{world.programme.slug}/versions/1/irritants.csv")
    assert response.status_code == 404


def test_before_any_publication_the_live_catalogue_is_computed_once_every_few_minutes(client_as, db, world):
    anonymous, slug = client_as("anonymous"), world.programme.slug
    first = anonymous.get(f"/donnees-ouvertes/{slug}/irritants.csv")
    added = factories.irritant(db, world.programme, world.own, status="qualified")
    db.commit()
    second = anonymous.get(f"/donnees-ouvertes/{slug}/irritants.csv")
    assert second.data == first.data and added.id not in _ids(second.data)  # served from the cache
    assert "max-age=300" in second.headers["Cache-Control"]


def test_the_live_catalogue_is_rate_limited_but_a_published_one_is_not(make_app, db, world):
    app = make_app(RATELIMIT_ENABLED=True, OPENDATA_RATE_LIMIT="2 per minute")
    anonymous, url = app.test_client(), f"/donnees-ouvertes/{world.programme.slug}/irritants.csv"
    assert [anonymous.get(url).status_code for _ in range(3)] == [200, 200, 429]
    factories.published_version(db, world.programme)
    db.commit()
    assert {anonymous.get(url).status_code for _ in range(5)} == {200}
