// Follows a report rendering: polls its state every two seconds and updates the progress bar,
// the announced status and, at the end, the links to the published version (or the retry button).
(function () {
  "use strict";
  var box = document.getElementById("rendering");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("rendering-progress");
  var status = document.getElementById("rendering-status");
  var done = document.getElementById("rendering-done");
  var retry = document.getElementById("rendering-retry");
  // The sentences come translated from the page (data-* attributes), in the reader's language.
  var words = box.dataset;
  var lastText = status.textContent.trim();

  function say(text) {
    // Announce only what changed, so a screen reader is not flooded every two seconds.
    if (text !== lastText) { status.textContent = text; lastText = text; }
  }

  function poll() {
    fetch(box.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        if (state.status === "ready") {
          say(words.readyText);
          done.hidden = false;
          return;
        }
        if (state.status === "failed") {
          say(words.failedText + state.error);
          retry.hidden = false;
          return;
        }
        if (state.stale) {
          // A worker's sweep takes an interrupted rendering up again by itself: keep following it.
          say(words.staleText);
          retry.hidden = false;
          window.setTimeout(poll, 5000);
          return;
        }
        retry.hidden = true;
        say(state.progress + " % — " + (state.step || words.waitingText));
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (done.hidden) { window.setTimeout(poll, 1000); }
})();
