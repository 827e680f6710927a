"""What every browser test does on a page: open it, check its status, axe-core and the CSP, log in."""

from __future__ import annotations

from tests.browser.conftest import DEMO_PASSWORD

BLOCKING_IMPACTS = {"serious", "critical"}
CSP_MARKERS = ("content security policy", "content-security-policy")
MAX_TARGETS = 5


class Console:
    """Error messages written to the browser console since the last ``clear``."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._on_message)

    def _on_message(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.errors.append(f"{message.text} ({location.get('url', '?')}:{location.get('lineNumber', '?')})")

    def clear(self) -> None:
        self.errors.clear()

    def csp_errors(self) -> list[str]:
        return [text for text in self.errors if any(marker in text.lower() for marker in CSP_MARKERS)]


def _axe_report(violations: list[dict], url: str) -> str:
    lines = [f"axe-core : {len(violations)} violation(s) grave(s) ou critique(s) sur {url}"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [" ".join(map(str, node.get("target", []))) for node in nodes[:MAX_TARGETS]]
        more = f" (+{len(nodes) - MAX_TARGETS} autres)" if len(nodes) > MAX_TARGETS else ""
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']} "
                     f"<{violation.get('helpUrl', '')}>")
        lines.append(f"    cibles ({len(nodes)}) : {' | '.join(targets)}{more}")
        if nodes:
            summary = (nodes[0].get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    premier élément : {nodes[0].get('html', '')[:200]}")
            if summary:
                lines.append(f"    {summary[:400]}")
    return "\n".join(lines)


REQUIRED_MENUS_WITHOUT_PLACEHOLDER = """() => Array.from(document.querySelectorAll('select[required]:not([multiple])'))
  .filter(menu => (menu.size || 1) === 1 && (!menu.options.length || menu.options[0].value !== ''))
  .map(menu => menu.name)"""


def check_page(page, console: Console, *, axe: bool = True) -> None:
    """No CSP error in the console since the page was opened, and (unless ``axe`` is off) no serious/critical
    axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    csp_errors = console.csp_errors()
    assert not csp_errors, f"Erreurs Content-Security-Policy sur {page.url} :\n" + "\n".join(csp_errors)

    if axe:
        results = Axe().run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, _axe_report(blocking, page.url)
    # The HTML standard's rule for a required single menu (a validator's error, which axe does not check): its
    # first option is an empty placeholder, so that the menu never opens on a choice nobody made.
    unmarked = page.evaluate(REQUIRED_MENUS_WITHOUT_PLACEHOLDER)
    assert not unmarked, f"Menus obligatoires sans premier choix vide sur {page.url} : {unmarked}"


def open_page(page, console: Console, url: str, status: int = 200):
    """Go to ``url``, check the HTTP status, then check the page; return the response."""
    console.clear()
    response = page.goto(url)
    assert response is not None, f"aucune réponse pour {url}"
    assert response.status == status, f"{url} : HTTP {response.status}, attendu {status}"
    check_page(page, console)
    return response


def log_in(page, console: Console, base_url: str, email: str) -> None:
    """Fill the real login form (and check the login page itself on the way)."""
    open_page(page, console, f"{base_url}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    console.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert "/connexion" not in page.url, f"connexion refusée pour {email} (page : {page.url})"


