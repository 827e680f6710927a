"""The composition root's homes: what each role does next, from every domain's figures."""

from hub.app.home.views import blueprint

__all__ = ["blueprint"]
