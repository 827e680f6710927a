"""Photos of an irritant: sent from a tablet or a form, kept without their metadata, shown to who sees the irritant."""

from __future__ import annotations

import io
import os

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlmodel import select

from hub.core import file_store
from hub.core.models import AuditEntry
from irritants import photos
from irritants.models import Irritant, IrritantPhoto
from tests import factories

JSON = {"Accept": "application/json"}


def _gps_jpeg(orientation: int | None = None, size=(40, 20)) -> bytes:
    """A JPEG whose EXIF says where it was taken (and how to turn it, if asked)."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 30.0, 0.0), 3: "E", 4: (3.0, 0.0, 0.0)}  # GPSInfo: latitude, longitude
    if orientation:
        exif[0x0112] = orientation
    return factories.jpeg(size, exif=exif.tobytes())


def _post(client, irritant_id: int, data: bytes, name: str = "photo.jpg", client_key: str | None = "cle-photo-0001",
          headers=JSON):
    form = {"photo": (io.BytesIO(data), name, "image/jpeg")}
    if client_key:
        form["client_key"] = client_key
    return client.post(f"/irritants/{irritant_id}/photos", data=form, content_type="multipart/form-data",
                       headers=headers)


def _rows(db, irritant_id: int) -> list[IrritantPhoto]:
    return list(db.exec(select(IrritantPhoto).where(IrritantPhoto.irritant_id == irritant_id)))


def _stored(app, photo: IrritantPhoto) -> bytes:
    with app.app_context():
        return file_store.current().get(photo.storage_key)


def test_an_upload_answers_the_script_and_a_resend_is_recorded_once(app, client_as, world, db):
    client = client_as("facilitator")
    first = _post(client, world.own_irritant.id, factories.jpeg())
    assert first.status_code == 201
    body = first.get_json()
    assert body["created"] is True and body["url"] == f"/photos/{body['id']}"
    again = _post(client, world.own_irritant.id, factories.jpeg())
    assert again.status_code == 200
    assert again.get_json() == {**body, "created": False}
    [row] = _rows(db, world.own_irritant.id)
    assert row.client_key == "cle-photo-0001" and row.content_type == "image/jpeg"
    assert str(row.id) in row.storage_key and "photo.jpg" not in row.storage_key
    assert client.get(body["url"]).status_code == 200


def test_the_place_where_a_photo_was_taken_never_reaches_the_storage(app, client_as, world, db):
    sent = _gps_jpeg()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the GPS is there before
    assert _post(client_as("facilitator"), world.own_irritant.id, sent).status_code == 201
    stored = _stored(app, _rows(db, world.own_irritant.id)[0])
    kept = Image.open(io.BytesIO(stored))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {} and not kept.getexif().get_ifd(0x8825)
    assert "exif" not in kept.info and "xmp" not in kept.info and "icc_profile" not in kept.info
    assert b"Exif" not in stored


def test_a_photo_taken_on_its_side_is_kept_upright(app, client_as, world, db):
    # 40 × 20 pixels, with the camera's note that it must be turned a quarter (EXIF orientation 6).
    assert _post(client_as("facilitator"), world.own_irritant.id, _gps_jpeg(orientation=6)).status_code == 201
    [row] = _rows(db, world.own_irritant.id)
    assert (row.width, row.height) == (20, 40)
    assert Image.open(io.BytesIO(_stored(app, row))).size == (20, 40)


def test_a_large_photo_is_kept_at_2000_pixels_at_most(app, client_as, world, db):
    assert _post(client_as("facilitator"), world.own_irritant.id, factories.jpeg((3000, 1500))).status_code == 201
    [row] = _rows(db, world.own_irritant.id)
    assert (row.width, row.height) == (2000, 1000)


def test_a_photo_over_5_mo_but_under_10_passes_the_hubs_upload_limit(app, client_as, world, db):
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert 5 * 1024 * 1024 < len(out.getvalue()) < 10 * 1024 * 1024
    response = _post(client_as("facilitator"), world.own_irritant.id, out.getvalue(), name="bruit.png")
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_text_file_named_jpg_is_refused(client_as, world, db):
    response = _post(client_as("facilitator"), world.own_irritant.id, b"ceci n'est pas une photo", name="faux.jpg")
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"photo": ["Ce fichier n'est pas une photo (JPEG, PNG ou WebP)."]}}
    assert _rows(db, world.own_irritant.id) == []


def test_a_gif_is_refused_even_though_it_is_an_image(client_as, world, db):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    response = _post(client_as("facilitator"), world.own_irritant.id, out.getvalue(), name="anim.jpg")
    assert response.status_code == 422


def test_a_decompression_bomb_is_refused(client_as, world, db):
    out = io.BytesIO()
    Image.new("L", (10000, 10000)).save(out, "PNG")  # 100 megapixels in a few hundred kilobytes
    response = _post(client_as("facilitator"), world.own_irritant.id, out.getvalue(), name="bombe.png")
    assert response.status_code == 422
    assert response.get_json()["errors"]["photo"] == ["Ce fichier n'est pas une photo (JPEG, PNG ou WebP)."]


def test_a_photo_over_10_mo_is_refused(client_as, world, db):
    response = _post(client_as("facilitator"), world.own_irritant.id, b"\xff" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 422
    assert response.get_json()["errors"]["photo"] == [
        "La photo dépasse 10 Mo : réduisez-la ou prenez-la en plus basse définition."]


def test_a_body_over_the_photo_limit_answers_in_french_never_500(client_as, world):
    response = _post(client_as("facilitator"), world.own_irritant.id, b"\0" * (photos.REQUEST_LIMIT + 1))
    assert response.status_code == 413
    assert "plusieurs fois" in response.get_json()["errors"]["photo"][0]


def test_the_thirteenth_photo_is_refused(app, client_as, world, db):
    with app.app_context():
        for _ in range(photos.MAX_PHOTOS):
            factories.photo(db, world.own_irritant)
    db.commit()
    response = _post(client_as("facilitator"), world.own_irritant.id, factories.jpeg(), client_key="treizieme")
    assert response.status_code == 422
    assert response.get_json()["errors"]["photo"] == ["Douze photos au plus par irritant."]
    assert len(_rows(db, world.own_irritant.id)) == 12


def test_a_plain_form_goes_back_to_the_irritant_and_says_what_was_refused(client_as, world, db):
    client = client_as("facilitator")
    data = {"photo": [(io.BytesIO(factories.jpeg()), "ecran.jpg"), (io.BytesIO(b"texte"), "notes.jpg")]}
    response = client.post(f"/irritants/{world.own_irritant.id}/photos", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/irritants/{world.own_irritant.id}#photos")
    page = client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert "notes.jpg" in page and "Photo ajoutée." in page
    assert len(_rows(db, world.own_irritant.id)) == 1
    empty = client.post(f"/irritants/{world.own_irritant.id}/photos", data={}, content_type="multipart/form-data")
    assert empty.status_code == 302


def test_the_capture_without_its_script_keeps_the_entrys_photos(client_as, world, db):
    client = client_as("facilitator")
    data = {**factories.capture_entry(title="Formulaire papier"),
            "photos": [(io.BytesIO(_gps_jpeg()), "formulaire.jpg"), (io.BytesIO(b"pas une photo"), "texte.jpg")]}
    response = client.post(f"/ateliers/{world.own_workshop.id}/saisie", data=data,
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "texte.jpg" in page and "Irritant enregistré" in page
    irritant = db.exec(select(Irritant).where(Irritant.title == "Formulaire papier")).one()
    assert len(_rows(db, irritant.id)) == 1
    # The same form posted twice (a double tap) keeps its entry and its photos once.
    client.post(f"/ateliers/{world.own_workshop.id}/saisie", data={
        **factories.capture_entry(title="Formulaire papier"), "photos": [(io.BytesIO(_gps_jpeg()), "formulaire.jpg")]},
        content_type="multipart/form-data")
    assert len(_rows(db, irritant.id)) == 1


def test_the_capture_tells_the_script_where_to_send_the_photos(client_as, world, db):
    response = client_as("facilitator").post(f"/ateliers/{world.own_workshop.id}/saisie",
                                             data=factories.capture_entry(), headers=JSON)
    assert response.status_code == 201
    body = response.get_json()
    assert body["photos_url"] == f"/irritants/{body['id']}/photos"


@pytest.fixture
def photo_pair(app, world, db):
    """A photo on the own irritant and one on the foreign one."""
    with app.app_context():
        pair = factories.photo(db, world.own_irritant), factories.photo(db, world.foreign_irritant)
    db.commit()
    return pair


def test_a_referent_of_another_collectivity_gets_404_on_the_photo(client_as, photo_pair):
    own, foreign = photo_pair
    referent = client_as("participant")
    assert referent.get(f"/photos/{foreign.id}").status_code == 404
    assert referent.get(f"/photos/{own.id}").status_code == 200
    assert client_as("anonymous").get(f"/photos/{own.id}").status_code == 302


@pytest.mark.parametrize("role", ["steering", "admin", "facilitator"])
def test_who_sees_the_irritant_sees_its_photos(client_as, photo_pair, role):
    for photo in photo_pair:
        response = client_as(role).get(f"/photos/{photo.id}")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.cache_control.no_store  # a shared tablet's browser keeps no copy after logout
        assert Image.open(io.BytesIO(response.data)).format == "JPEG"


def test_the_irritant_page_shows_the_photos_and_the_teams_forms(client_as, world, photo_pair):
    own, _foreign = photo_pair
    page = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert f'href="/photos/{own.id}"' in page and f'src="/photos/{own.id}"' in page
    assert 'alt="Photo 1 sur 1 de l\'irritant « Recherche d&#39;anciens arrêtés »"' in page
    assert f'action="/photos/{own.id}/supprimer"' in page
    assert 'accept="image/jpeg,image/png,image/webp"' in page and "multiple" in page
    read_only = client_as("steering").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert f'src="/photos/{own.id}"' in read_only
    assert "/supprimer" not in read_only and 'name="photo"' not in read_only


def test_deleting_a_photo_removes_its_bytes(app, client_as, world, db, photo_pair):
    own, _foreign = photo_pair
    key = own.storage_key
    response = client_as("facilitator").post(f"/photos/{own.id}/supprimer")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/irritants/{world.own_irritant.id}#photos")
    assert _rows(db, world.own_irritant.id) == []
    with app.app_context(), pytest.raises(file_store.MissingFile):
        file_store.current().get(key)
    assert client_as("facilitator").get(f"/photos/{own.id}").status_code == 404
    assert client_as("participant").post(f"/photos/{photo_pair[1].id}/supprimer").status_code == 403


def test_every_write_of_a_photo_is_in_the_audit_log(client_as, world, db):
    client = client_as("facilitator")
    photo_id = _post(client, world.own_irritant.id, factories.jpeg()).get_json()["id"]
    client.post(f"/photos/{photo_id}/supprimer")
    entries = db.exec(select(AuditEntry).where(AuditEntry.table_name == "irritant_photo",
                                               AuditEntry.row_id == photo_id).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries][0] == "insert" and entries[-1].action == "delete"
    assert entries[0].user_id == world.users["facilitator"].id
    assert entries[0].changes["irritant_id"] == world.own_irritant.id


def test_a_photo_row_goes_with_its_irritant(db):
    [fk] = [fk for fk in sa.inspect(db.connection()).get_foreign_keys("irritant_photo")
            if fk["referred_table"] == "irritant"]
    assert fk["options"].get("ondelete") == "CASCADE"
