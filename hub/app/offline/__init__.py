"""The offline shell: the manifest, the service worker, the offline page and the pages a tablet keeps."""

from hub.app.offline.views import blueprint

__all__ = ["blueprint"]
