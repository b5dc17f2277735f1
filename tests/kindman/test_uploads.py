"""What editors upload is never served from our origin as something a browser would run: documents
only through Wagtail's view (collection privacy, attachments, sandboxed), `/media/` only images."""

import io
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import Storage, default_storage
from django.test import override_settings
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage
from wagtail.models import Collection, CollectionViewRestriction

from tests.kindman.test_settings import clean_environment, run_python

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>fetch('/admin/consultations/export/').then(r => r.text())</script>"
SANDBOX_POLICY = {"default-src 'none'", "sandbox"}


class BucketLikeStorage(Storage):
    """Object storage's shape: files have URLs but no local path (`path()` is not implemented)."""

    files: dict[str, bytes] = {}

    def _save(self, name, content):
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def size(self, name):
        return len(self.files[name])

    def url(self, name):
        return f"https://bucket.example/{name}"

    def delete(self, name):
        self.files.pop(name, None)


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.fixture
def stored_files():
    """Names of files the test saved in the default storage, deleted afterwards."""
    names = []
    yield names
    for name in names:
        default_storage.delete(name)


@pytest.fixture
def document(stored_files):
    def make(name: str, content: bytes, collection=None):
        doc = Document.objects.create(
            title=name,
            file=ContentFile(content, name=name),
            collection=collection or Collection.get_first_root_node(),
        )
        stored_files.append(doc.file.name)
        return doc

    return make


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#6a8f7b").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def image(stored_files):
    uploaded = WagtailImage.objects.create(
        title="Garden", file=ImageFile(io.BytesIO(png_bytes()), name="garden.png")
    )
    stored_files.append(uploaded.file.name)
    yield uploaded
    for rendition in uploaded.renditions.all():
        stored_files.append(rendition.file.name)


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


class TestDocuments:
    @pytest.mark.parametrize(
        "name", ["page.html", "steal.js", "drawing.svg", "notes.txt", "intake.pdf"]
    )
    def test_document_files_are_not_served_under_media(self, client, document, name):
        doc = document(name, SCRIPT)
        assert client.get(f"/media/{doc.file.name}").status_code == 404

    def test_a_document_in_a_login_only_collection_is_not_readable_anonymously(
        self, client, document
    ):
        private = Collection.get_first_root_node().add_child(name="Staff only")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        doc = document("rota.pdf", b"%PDF-1.4 rota", collection=private)

        assert client.get(f"/media/{doc.file.name}").status_code == 404
        answer = client.get(doc.url)
        assert answer.status_code == 302
        assert answer["Location"] == f"/_util/login/?next={doc.url}"

    @pytest.mark.parametrize(
        "name", ["intake.pdf", "page.html", "steal.js", "drawing.svg", "notes.txt"]
    )
    def test_documents_are_served_as_sandboxed_attachments(self, client, document, name):
        doc = document(name, SCRIPT)
        answer = client.get(doc.url)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment;")
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert policy(answer) == SANDBOX_POLICY
        assert b"".join(answer.streaming_content) == SCRIPT

    def test_documents_in_object_storage_are_streamed_by_the_app_not_linked(self, client):
        # With storage that has URLs but no local paths, Wagtail would by default redirect
        # readers to the file's storage URL, past collection privacy and our headers.
        bucket = {"BACKEND": f"{__name__}.BucketLikeStorage"}
        with override_settings(STORAGES={**settings.STORAGES, "default": bucket}):
            doc = Document.objects.create(
                title="Intake", file=ContentFile(b"%PDF-1.4 intake", name="intake.pdf")
            )
            answer = client.get(doc.url)
            assert answer.status_code == 200
            assert answer["Content-Disposition"].startswith("attachment;")
            assert policy(answer) == SANDBOX_POLICY
            assert b"".join(answer.streaming_content) == b"%PDF-1.4 intake"

    @pytest.mark.parametrize("name", ["page.html", "steal.js", "drawing.svg", "macro.xlsm"])
    def test_an_editor_cannot_upload_a_document_a_browser_could_run(self, client, editor, name):
        upload = ContentFile(SCRIPT, name=name)
        answer = client.post("/admin/documents/add/", {"title": name, "file": upload})
        assert answer.status_code == 200
        html = answer.content.decode()
        assert "is not allowed" in html and "pdf, doc, docx, odt, rtf, txt" in html
        assert f'value="{name}"' in html  # the title is kept
        assert not Document.objects.filter(title=name).exists()

    def test_an_editor_can_upload_a_pdf(self, client, editor, stored_files):
        upload = ContentFile(b"%PDF-1.4 leaflet", name="leaflet.pdf")
        answer = client.post("/admin/documents/add/", {"title": "Leaflet", "file": upload})
        assert answer.status_code == 302, answer.content.decode()[:500]
        stored_files.append(Document.objects.get(title="Leaflet").file.name)


class TestMedia:
    def test_original_images_and_renditions_are_served_sandboxed(self, client, image):
        rendition = image.get_rendition("fill-20x20")
        for url, content_type in ((image.file.url, "image/png"), (rendition.url, "image/webp")):
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer["Content-Type"] == content_type
            assert answer["X-Content-Type-Options"] == "nosniff"
            assert policy(answer) == SANDBOX_POLICY

    @pytest.mark.parametrize(
        "name",
        [
            "original_images/page.html",
            "original_images/drawing.svg",
            "images/steal.js",
            "images/garden.png.html",
            "documents/leaflet.png",
            "elsewhere/garden.png",
            "garden.png",
        ],
    )
    def test_nothing_but_images_in_the_image_folders_is_served(self, client, stored_files, name):
        stored_files.append(default_storage.save(name, ContentFile(SCRIPT)))
        assert client.get(f"/media/{stored_files[-1]}").status_code == 404

    @pytest.mark.parametrize(
        "name, content",
        [("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
         ("page.png", b"<html><script>alert(1)</script></html>")],
    )  # fmt: skip
    def test_an_editor_cannot_upload_svg_or_html_as_an_image(self, client, editor, name, content):
        upload = ContentFile(content, name=name)
        answer = client.post("/admin/images/add/", {"title": name, "file": upload})
        assert answer.status_code == 200
        assert not WagtailImage.objects.filter(title=name).exists()


def test_webp_renditions_get_their_content_type_without_system_mime_tables():
    # Slim container images have no /etc/mime.types, and Python 3.11 alone does not know .webp:
    # renditions would be stored in the bucket and served as application/octet-stream.
    code = (
        "import mimetypes; mimetypes.knownfiles[:] = []; import django; django.setup(); "
        "print(mimetypes.guess_type('garden.webp')[0], mimetypes.guess_type('garden.avif')[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean_environment() | {"DJANGO_SETTINGS_MODULE": "kindman.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["image/webp", "image/avif"]


def test_a_bucket_without_django_storages_is_refused_with_a_clear_message():
    result = run_python(
        # As if the project were installed without its s3 extra.
        "import sys; sys.modules['storages'] = None; import django; django.setup()",
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="settings-test-only-" + "x" * 40,
        DATABASE_URL="postgres://unused@localhost/unused",
        AWS_STORAGE_BUCKET_NAME="kindman-media",
        PUBLIC_ORIGIN="https://www.kindman.example",
    )
    assert result.returncode != 0
    assert "django-storages is not installed" in result.stderr
    assert 'pip install -e ".[s3]"' in result.stderr


def test_object_storage_mode_keeps_documents_behind_the_app():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.WAGTAILDOCS_SERVE_METHOD, s.SERVE_MEDIA, s.STORAGES['default']]))"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="settings-test-only-" + "x" * 40,
        DATABASE_URL="postgres://unused@localhost/unused",
        AWS_STORAGE_BUCKET_NAME="kindman-media",
        PUBLIC_ORIGIN="https://www.kindman.example",
    )
    assert result.returncode == 0, result.stderr
    serve_method, serve_media, storage = json.loads(result.stdout)
    # Never a redirect to the bucket: the app checks collection privacy and sets the headers.
    assert serve_method == "serve_view"
    assert serve_media is False
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    # No per-object ACL and no signed URLs: the bucket policy makes only the image folders
    # public (docs/deploy.md), so documents stay private.
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["querystring_auth"] is False
