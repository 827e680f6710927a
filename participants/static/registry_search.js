/* The official registry's search, as the person types (participants/registry_views.py).
 *
 * Without this script the search is a plain GET form whose results are links. With it, the same list of
 * links is fetched from the server as the person types (after a short pause, from two characters), and a
 * status line says how many were found, for screen readers too. Choosing stays following a link: Tab
 * reaches the results, Enter chooses one, as everywhere else on the page.
 */
(function () {
  "use strict";

  var form = document.getElementById("registry-search");
  var input = document.getElementById("registry-q");
  var results = document.getElementById("registry-results");
  var status = document.getElementById("registry-status");
  if (!form || !input || !results || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-results-url");
  var timer = null;
  var latest = 0;

  function announce() {
    var answers = document.getElementById("registry-answers");
    var count = answers ? parseInt(answers.getAttribute("data-count"), 10) : 0;
    // The sentences come from the page, in its language.
    var sentence = count === 0 ? "data-none" : (count === 1 ? "data-one" : "data-many");
    status.textContent = input.value.trim() ? form.getAttribute(sentence).replace("%d", count) : "";
  }

  function refresh() {
    var typed = input.value;
    var asked = ++latest;
    if (typed.trim().length < 2) {
      return;
    }
    fetch(url + "?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || asked !== latest) {
          return; // an older answer arriving after a newer one is dropped
        }
        results.innerHTML = html; // rendered and escaped by the server's template
        announce();
      })
      .catch(function () { /* offline: the form's button still searches */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
})();
