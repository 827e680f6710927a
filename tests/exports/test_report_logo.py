"""The agency's logo on the report's cover: uploaded by the admin, checked by opening it, kept by each version."""

from __future__ import annotations

import io
import os

import pikepdf
from PIL import Image, PngImagePlugin
from sqlmodel import select

from exports.assembly import assemble_report
from exports.models import ReportVersion
from exports.rendering import render_report_pdf
from hub.core.models import AuditEntry, Programme


def _png(size=(900, 450), *, noise: bool = False, text: str | None = None) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size,
                                                                                                    "#1d3a8a")
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Author", text)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _upload(client, slug: str, content: bytes, filename: str = "logo.png"):
    return client.post(f"/programmes/{slug}/rapport/logo", data={"logo": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _images_drawn(page) -> int:
    """How many images the page's content draws (its resources may list those of other pages too)."""
    images = {name for name, obj in page.Resources.get("/XObject", {}).items() if obj.get("/Subtype") == "/Image"}
    return sum(1 for operands, operator in pikepdf.parse_content_stream(page)
               if str(operator) == "Do" and str(operands[0]) in images)


def _programme(db, world) -> Programme:
    db.expire_all()
    return db.get(Programme, world.programme.id)


def test_a_png_upload_is_re_encoded_small_without_metadata_and_printed_on_the_cover(app, client_as, db, world):
    response = _upload(client_as("admin"), world.programme.slug, _png(text="Jeanne Secrète"))
    assert response.status_code == 302
    programme = _programme(db, world)
    assert programme.agency_logo_type == "image/png"
    with Image.open(io.BytesIO(programme.agency_logo)) as stored:
        assert stored.format == "PNG" and max(stored.size) == 600 and stored.size == (600, 300)
    assert b"Jeanne" not in programme.agency_logo  # the uploaded file's metadata is not carried over
    data = assemble_report(db, programme)
    assert data["programme"]["logo"].startswith("data:image/png;base64,")
    with app.test_request_context("/"):
        pdf = pikepdf.open(io.BytesIO(render_report_pdf(data)))
    assert _images_drawn(pdf.pages[0]) == 1  # the cover holds the logo
    page = client_as("admin").get(f"/programmes/{world.programme.slug}/rapport/logo").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page and "Retirer le logo" in page


def test_a_text_file_named_png_is_refused_in_french_on_the_form(client_as, db, world):
    response = _upload(client_as("admin"), world.programme.slug, b"ceci n'est pas une image\n" * 20)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "est pas une image PNG ou JPEG lisible" in page and 'aria-invalid="true"' in page
    assert _programme(db, world).agency_logo is None


def test_a_file_over_one_megabyte_is_refused(client_as, db, world):
    content = _png((800, 800), noise=True)
    assert len(content) > 1024 * 1024
    response = _upload(client_as("admin"), world.programme.slug, content)
    assert response.status_code == 422
    assert "dépasse 1 Mo" in response.get_data(as_text=True)
    assert _programme(db, world).agency_logo is None


def test_a_jpeg_is_accepted_and_stored_as_png(client_as, db, world):
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(out, format="JPEG")
    assert _upload(client_as("admin"), world.programme.slug, out.getvalue(), "logo.jpg").status_code == 302
    assert _programme(db, world).agency_logo.startswith(b"\x89PNG")


def test_the_logo_can_be_removed_and_a_published_version_keeps_its_own(app, client_as, db, world):
    admin = client_as("admin")
    _upload(admin, world.programme.slug, _png())
    assert admin.post(f"/programmes/{world.programme.slug}/rapport/publier", data={}).status_code == 302
    response = admin.post(f"/programmes/{world.programme.slug}/rapport/logo/retirer", data={})
    assert response.status_code == 302
    programme = _programme(db, world)
    assert programme.agency_logo is None and programme.agency_logo_type == ""
    assert assemble_report(db, programme)["programme"]["logo"] is None
    version = db.exec(select(ReportVersion).where(ReportVersion.programme_id == programme.id)).one()
    assert version.snapshot["programme"]["logo"].startswith("data:image/png;base64,")
    published = pikepdf.open(io.BytesIO(version.pdf))
    assert _images_drawn(published.pages[0]) == 1
    with app.test_request_context("/"):
        today = pikepdf.open(io.BytesIO(render_report_pdf(assemble_report(db, programme))))
    assert _images_drawn(today.pages[0]) == 0  # the next versions have a cover without a logo


def test_only_the_admin_reaches_the_logo_page(client_as, world):
    url = f"/programmes/{world.programme.slug}/rapport/logo"
    for role in ("facilitator", "steering", "participant"):
        assert client_as(role).get(url).status_code == 403, role
        assert _upload(client_as(role), world.programme.slug, _png()).status_code == 403, role
    assert client_as("anonymous").get(url).status_code == 302
    versions = client_as("admin").get(f"/programmes/{world.programme.slug}/rapport/versions").get_data(as_text=True)
    assert url in versions
    assert url not in client_as("facilitator").get(f"/programmes/{world.programme.slug}/rapport/versions").get_data(
        as_text=True)


def test_the_audit_log_records_the_change_without_the_image(client_as, db, world):
    _upload(client_as("admin"), world.programme.slug, _png())
    logo = _programme(db, world).agency_logo
    entries = db.exec(select(AuditEntry).where(AuditEntry.table_name == "programme",
                                               AuditEntry.action == "update")).all()
    changed = [e for e in entries if "agency_logo" in e.changes]
    assert changed and changed[-1].user_id == world.users["admin"].id
    assert changed[-1].changes["agency_logo"][1] == f"<{len(logo)} octets>"
    assert "PNG" not in str(changed[-1].changes) and "base64" not in str(changed[-1].changes)
