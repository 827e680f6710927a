"""Publishing the report: numbered versions frozen for good, rendered outside the request, retried on failure."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from pypdf import PdfReader
from sqlmodel import select

from exports import rendering
from exports.models import ReportVersion
from hub.core.models import AuditEntry
from irritants.models import Irritant
from tests import factories


def _publish(client, slug: str, **data):
    return client.post(f"/programmes/{slug}/rapport/publier", data=data)


def _version(db, programme, number: int) -> ReportVersion:
    db.expire_all()
    return db.exec(select(ReportVersion).where(ReportVersion.programme_id == programme.id,
                                               ReportVersion.number == number)).one()


def test_publishing_freezes_a_numbered_version_with_its_pdf_and_hash(client_as, db, world):
    response = _publish(client_as("admin"), world.programme.slug, as_of="2024-12-10")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/programmes/{world.programme.slug}/rapport/versions/1/progression")
    version = _version(db, world.programme, 1)
    assert version.status == "ready" and version.progress == 100
    assert version.sha256 == hashlib.sha256(version.pdf).hexdigest()
    assert version.as_of == date(2024, 12, 10)
    assert version.published_by_id == world.users["admin"].id
    assert version.snapshot["summary"]["irritants"] == 2
    assert version.pages == len(PdfReader(io.BytesIO(version.pdf)).pages)
    assert "10 décembre 2024" in PdfReader(io.BytesIO(version.pdf)).pages[0].extract_text()
    assert db.exec(select(AuditEntry).where(AuditEntry.table_name == "report_version",
                                            AuditEntry.action == "insert")).first() is not None


def test_a_published_version_never_changes_when_the_records_do(client_as, db, world):
    _publish(client_as("admin"), world.programme.slug)
    before = _version(db, world.programme, 1)
    sha, pdf, snapshot = before.sha256, before.pdf, before.snapshot
    world.own_irritant.title = "Titre changé après publication"
    db.add(world.own_irritant)
    db.add(Irritant(programme_id=world.programme.id, collectivity_id=world.own.id, title="Nouvel irritant",
                    theme=world.own_irritant.theme))
    db.commit()
    steering = client_as("steering")
    page = steering.get(f"/programmes/{world.programme.slug}/rapport/versions/1").get_data(as_text=True)
    assert "Titre changé après publication" not in page
    downloaded = steering.get(f"/programmes/{world.programme.slug}/rapport/versions/1.pdf")
    assert hashlib.sha256(downloaded.data).hexdigest() == sha
    after = _version(db, world.programme, 1)
    assert (after.sha256, after.pdf, after.snapshot) == (sha, pdf, snapshot)
    # The live report has moved on, and the comparison says by how much.
    changes = steering.get(f"/programmes/{world.programme.slug}/rapport/comparer?de=1&a=actuel").get_data(
        as_text=True)
    assert "Irritants relevés" in changes and "+1" in changes


def test_comparing_two_versions_lists_the_figures_that_changed(client_as, db, world):
    admin = client_as("admin")
    _publish(admin, world.programme.slug)
    world.foreign_irritant.status = "rejected"
    db.add(Irritant(programme_id=world.programme.id, collectivity_id=world.own.id, title="Encore un irritant"))
    db.add(world.foreign_irritant)
    db.commit()
    _publish(admin, world.programme.slug)
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport/comparer?de=1&a=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "De la version 1" in text and "à la version 2" in text
    assert f"<td>{world.own.name}</td>" in text  # its irritant count went from 1 to 2


def test_a_failed_rendering_says_why_keeps_the_previous_version_and_can_be_retried(client_as, db, world,
                                                                                   monkeypatch):
    admin = client_as("admin")
    _publish(admin, world.programme.slug)

    def broken(*_args, **_kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(rendering, "render_report_pdf", broken)
    _publish(admin, world.programme.slug)
    failed = _version(db, world.programme, 2)
    assert failed.status == "failed"
    assert "disque plein" in failed.error
    listing = admin.get(f"/programmes/{world.programme.slug}/rapport/versions").get_data(as_text=True)
    assert "disque plein" in listing and "Relancer le rendu" in listing
    # The steering committee still reads version 1, and never sees the failed one.
    steering = client_as("steering")
    assert steering.get(f"/programmes/{world.programme.slug}/rapport/versions/1").status_code == 200
    assert steering.get(f"/programmes/{world.programme.slug}/rapport/versions/2").status_code == 404
    monkeypatch.undo()
    response = admin.post(f"/programmes/{world.programme.slug}/rapport/versions/2/relancer")
    assert response.status_code == 302
    assert _version(db, world.programme, 2).status == "ready"


def test_a_second_publication_waits_for_the_one_under_way(client_as, db, world):
    db.add(ReportVersion(programme_id=world.programme.id, number=1, status="rendering", progress=40,
                         step="Mise en page du rapport"))
    db.commit()
    admin = client_as("admin")
    response = _publish(admin, world.programme.slug)
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "La version 1 est déjà en cours de rendu" in page
    state = admin.get(f"/programmes/{world.programme.slug}/rapport/versions/1/etat").get_json()
    assert state == {"status": "rendering", "progress": 40, "step": "Mise en page du rapport", "error": "",
                     "stale": False, "url": None}


def test_a_rendering_whose_process_died_can_be_retried(client_as, db, world):
    from datetime import timedelta

    from hub.core.models import utcnow

    db.add(ReportVersion(programme_id=world.programme.id, number=1, status="rendering",
                         updated_at=utcnow() - timedelta(hours=1)))
    db.commit()
    admin = client_as("admin")
    assert admin.get(f"/programmes/{world.programme.slug}/rapport/versions/1/etat").get_json()["stale"] is True
    admin.post(f"/programmes/{world.programme.slug}/rapport/versions/1/relancer")
    assert _version(db, world.programme, 1).status == "ready"


def test_a_bad_date_is_refused_in_french_and_kept(client_as, world):
    response = _publish(client_as("admin"), world.programme.slug, as_of="10/12/2024")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and "10/12/2024" in text


def test_the_progress_page_follows_the_rendering_without_inline_script(client_as, db, world):
    factories.published_version(db, world.programme)
    db.commit()
    page = client_as("admin").get(f"/programmes/{world.programme.slug}/rapport/versions/1/progression")
    text = page.get_data(as_text=True)
    assert '<progress id="rendering-progress" max="100" value="100">' in text
    assert 'role="status"' in text
    assert "<script>" not in text and "/static/exports/progress.js" in text


def test_the_steering_committee_lists_only_published_versions(client_as, db, world):
    factories.published_version(db, world.programme)
    db.add(ReportVersion(programme_id=world.programme.id, number=2, status="failed", error="panne"))
    db.commit()
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport/versions").get_data(as_text=True)
    assert "n° 1" in page and "n° 2" not in page and "panne" not in page


def test_a_referent_downloads_their_own_sheet_only(client_as, world):
    referent = client_as("participant")
    own = referent.get(f"/programmes/{world.programme.slug}/collectivites/{world.own.slug}/fiche.pdf")
    assert own.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(own.data)).pages)
    assert world.own.name in text and world.own_irritant.title in text
    assert world.foreign_irritant.title not in text
    assert referent.get(f"/programmes/{world.programme.slug}/collectivites/{world.foreign.slug}/fiche.pdf"
                        ).status_code == 404


def test_a_version_opens_on_its_figures_with_the_fingerprint_at_the_end(client_as, world):
    # It used to open on a SHA-256 hash and a twenty-line table of contents before any figure.
    _publish(client_as("admin"), world.programme.slug)
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/rapport/versions/1").get_data(as_text=True)
    assert page.index('id="h-synthese"') < page.index("Empreinte SHA-256")
    assert "<details><summary>Sommaire</summary>" in page  # the contents fold away
