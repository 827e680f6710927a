"""What the fuzz test needs: the pages to visit, their post forms parsed, hostile payloads by input type.

The fuzz posts each form once per payload with one field replaced and the others left valid (a hostile value
in a form that fails for another reason never reaches the service or the database).
"""

from __future__ import annotations

import base64
import io
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

# Values that once answered 500 somewhere, or that break a layer (Decimal, int(), PostgreSQL text, a VARCHAR).
NUMBER = ["1e27", "-1e27", "NaN", "sNaN", "-Infinity", "²", "١٢", "9" * 30, "1" * 4400, "1e-400", "-1", "0x10",
          "1_000", "1\x00", ""]
TEXT = ["\x00", "a\x00b", "\x01\x1b\x7f", "\u2028", "x" * 201, "é" * 301, "y" * 5001, "x" * 20000, "²",
        "1e27", "NaN", "<script>alert(1)</script>", "' OR 1=1 --", "   ", ""]
DATE = ["0000-01-01", "0001-01-01", "9999-12-31", "2024-02-30", "00/00/0000", "31/12/9999", "1e27", "²",
        "\x00", "x" * 300, "-1", ""]
MONTH = ["0000-01", "0000-00", "2024-13", "2024-00", "9999-12", "00/0000", "12/0000", "²", "\x00", "1e27", ""]
SELECT = ["", "²", "9" * 30, "\x00", "x" * 300]
EMAIL = ["\x00@example.org", "a@b", "x" * 300 + "@example.org", "é@é.fr", ""]
CHECKBOX = ["\x00"]
PAYLOADS = {"number": NUMBER, "text": TEXT, "textarea": TEXT, "date": DATE, "month": MONTH, "select": SELECT,
            "email": EMAIL, "checkbox": CHECKBOX, "hidden": NUMBER[:10] + TEXT[:4], "password": TEXT[:6]}
BIG_CELL = "z" * (129 * 1024)
FILES = {
    "cellule géante": f"nom,valeur\n{BIG_CELL},1\n".encode(),
    "octet nul": b"nom,siren\nA\x00B,123\n",
    "pas de l'utf-8": "nom;population\nChâteau;1e27\n".encode("latin-1"),
    "vide": b"",
    "binaire": bytes(range(256)),
    "nombres hostiles": "nom,kind,departement_code,siren,population\nA,commune,89,²,1e27\nB,commune,00,NaN,"
                        f"{'9' * 4400}\n".encode(),
}
# A file the preview carried to its confirmation (a hidden field named payload, in base64): hostile values, and
# each hostile file above as the preview would have carried it.
CARRIED = NUMBER[:10] + TEXT[:4] + ["é" * 301, "QUJD=", "=" * 8] + [base64.b64encode(content).decode("ascii")
                                                                   for content in FILES.values()]
PAYLOADS["carried"] = CARRIED
QUERY = ["²", "9" * 30, "\x00", "-1", "1" * 4400, "NaN", "x" * 3000, ""]
QUERY_NAMES = ["programme", "collectivity", "page", "de", "a", "sep", "kind", "status", "theme", "service",
               "collectivity_name", "departement", "format", "places", "next", "q", "lang"]
ALWAYS_ONE_BY_ONE = ("programme", "page", "collectivity")  # read by most lists, before any other filter
# Baseline values: valid for most fields, so that the replaced field is the one that decides.
VALID = {"number": "1", "text": "Valeur d'essai", "textarea": "Texte d'essai", "date": "2024-11-05",
         "month": "2024-10", "email": "essai@example.org", "password": "un-mot-de-passe-long"}
SKIPPED_ACTIONS = ("/deconnexion",)


@dataclass
class Field:
    """One named control of a form."""

    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    """A post form as the page draws it."""

    action: str
    page: str
    fields: list[Field] = field(default_factory=list)
    multipart: bool = False

    def key(self) -> tuple:
        """Forms with the same action and fields are fuzzed once."""
        return self.action, tuple(sorted(f.name for f in self.fields))

    def baseline(self) -> dict:
        """Valid-looking values for every field."""
        data: dict = {}
        for f in self.fields:
            if f.kind == "file":
                continue
            if f.kind == "checkbox":
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "y")
                continue
            if f.kind == "select":
                value = f.value if f.value else next((o for o in f.options if o), "")
            elif f.kind in ("hidden", "carried") or f.value:
                value = f.value
            else:
                value = VALID.get(f.kind, "1")
            data.setdefault(f.name, []).append(value)
        return data


def field_kind(tag: str, attrs: dict) -> str:
    """The payload family of a control, from its type and, for a typed month, its name."""
    if tag in ("select", "textarea"):
        return tag
    kind = (attrs.get("type") or "text").lower()
    name = attrs.get("name", "")
    if kind == "hidden" and name == "payload":
        return "carried"
    if kind == "text" and "month" in name:
        return "month"
    if kind == "text" and ("date" in name or name.endswith("_on")):
        return "date"
    if kind in ("radio",):
        return "select"
    return kind if kind in PAYLOADS or kind == "file" else "text"


class FormParser(HTMLParser):
    """Collects the page's post forms and their controls."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self._form, self._select, self._textarea = page, [], None, None, None

    def handle_starttag(self, tag, attrs):
        """Open a form, a control, or an option."""
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urljoin(self.page, a.get("action") or self.page)
                self._form = Form(action=action, page=self.page, multipart="multipart" in a.get("enctype", ""))
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if a["name"] == "csrf_token":
            return
        if tag == "input" and a.get("type", "text").lower() not in ("submit", "button", "reset", "image"):
            kind = field_kind(tag, a)
            self._form.fields.append(Field(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def _option(self, a):
        self._select.options.append(a.get("value", ""))
        if "selected" in a:
            self._select.value = a.get("value", "")

    def handle_data(self, data):
        """Text of a textarea is its value."""
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        """Close what the tag opened."""
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, page: str) -> list[Form]:
    """The post forms of a page (radio buttons grouped by name)."""
    parser = FormParser(page)
    parser.feed(html)
    for form in parser.forms:
        merged: dict[str, Field] = {}
        for f in form.fields:
            if f.kind == "select" and f.name in merged and not f.options:  # a radio group
                merged[f.name].options.append(f.value)
                continue
            if f.kind == "select" and not f.options:
                f.options = [f.value]
                f.value = f.value if f.checked else ""
            merged.setdefault(f.name, f) if f.kind != "checkbox" else merged.setdefault(f"{f.name}\x00{f.value}", f)
        form.fields = list(merged.values())
    return [form for form in parser.forms if not form.action.endswith(SKIPPED_ACTIONS)]


class QueryNameParser(HTMLParser):
    """The query-string names a page uses: its GET forms' fields and its links' parameters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag, attrs):
        """Note a GET form's field or a link's parameters."""
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._get_form = a.get("method", "get").lower() == "get"
        elif tag in ("input", "select") and self._get_form and a.get("name"):
            self.names.add(a["name"])
        elif tag == "a" and "?" in a.get("href", ""):
            self.names.update(part.split("=")[0] for part in urlsplit(a["href"]).query.split("&") if part)

    def handle_endtag(self, tag):
        """A form ends."""
        if tag == "form":
            self._get_form = False


def query_names(html: str) -> set[str]:
    """The names of the page's query-string parameters, as its forms and links show them."""
    parser = QueryNameParser()
    parser.feed(html)
    return parser.names


@dataclass
class Fuzzer:
    """Sends requests and keeps every server error with what caused it."""

    client: object
    role: str
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: Counter = field(default_factory=Counter)  # by path, to see where the fuzz spends its time

    def send(self, method: str, url: str, what: str, **kwargs):
        """One request; a 500 (or an exception the test app lets through) is recorded, never raised."""
        self.requests += 1
        started = time.monotonic()
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the fuzz reports every crash, whatever its kind
            last = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(f"{self.role} {method} {url[:120]} {what}: {type(exc).__name__}: "
                                 f"{str(exc)[:160]} ({last.filename.split('/main/')[-1]}:{last.lineno})")
            return None
        finally:
            self.seconds[urlsplit(url).path] += time.monotonic() - started
        if response.status_code >= 500:
            self.failures.append(f"{self.role} {method} {url[:120]} {what}: HTTP {response.status_code}")
        return response

    def post(self, form: Form, name: str, value, label: str) -> None:
        """Post the form with one field replaced by a hostile value (a file for a file control)."""
        data = form.baseline()
        kind = next((f.kind for f in form.fields if f.name == name), "text")
        if kind == "file":
            data[name] = (io.BytesIO(value), "essai.csv")
        else:
            data[name] = [value]
        content_type = "multipart/form-data" if form.multipart or kind == "file" else None
        self.send("POST", path_of(form.action), f"champ {name!r} = {label}", data=data, content_type=content_type)

    def fuzz_form(self, form: Form, payloads_per_field: int | None = None) -> None:
        """Every field of the form with every payload of its kind."""
        for f in form.fields:
            if f.kind == "file":
                for label, content in FILES.items():
                    self.post(form, f.name, content, f"fichier {label}")
                continue
            for payload in PAYLOADS.get(f.kind, TEXT)[:payloads_per_field]:
                self.post(form, f.name, payload, _show(payload))

    def fuzz_query(self, url: str, payloads: list[str]) -> None:
        """The page with every known parameter hostile at once, then each of those it uses alone."""
        for payload in payloads:
            self.send("GET", f"{url}?{urlencode(dict.fromkeys(QUERY_NAMES, payload))}", f"tous = {_show(payload)}")
        response = self.send("GET", url, "sans paramètre")
        used = query_names(response.get_data(as_text=True)) if response is not None and \
            response.mimetype == "text/html" else set()
        for name in sorted(used | set(ALWAYS_ONE_BY_ONE)):
            for payload in payloads[:4]:
                self.send("GET", f"{url}?{urlencode({name: payload})}", f"{name} = {_show(payload)}")


def path_of(url: str) -> str:
    """The path and query of an absolute URL, as the test client takes it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _show(payload: str) -> str:
    return repr(payload if len(payload) <= 24 else f"{payload[:12]}…({len(payload)} car.)")
