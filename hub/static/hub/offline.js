/* The offline shell, on every page: registers the service worker, tells it which pages to keep or to forget, and
 * shows the offline banner while the network is gone (hub/static/service-worker.js explains the caches). */
(function () {
  "use strict";

  const script = document.currentScript;
  const banner = document.getElementById("offline-banner");

  function showNetworkState() {
    if (banner) banner.hidden = navigator.onLine;
  }
  showNetworkState();
  window.addEventListener("online", showNetworkState);
  window.addEventListener("offline", showNetworkState);

  if (!("serviceWorker" in navigator) || !script || !script.dataset.worker) return;
  navigator.serviceWorker.register(script.dataset.worker, {scope: "/"}).catch(function () {
    // No worker (a private window, an insecure origin): the hub works online as before.
  });

  function tellWorker(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  // The list changes with the week's workshops, not from page to page: asked at most every few minutes per tab.
  const ASK_AGAIN_AFTER = 5 * 60 * 1000;
  function askedLongAgo() {
    try {
      const last = Number(sessionStorage.getItem("hub.offline.asked") || 0);
      if (Date.now() - last < ASK_AGAIN_AFTER) return false;
      sessionStorage.setItem("hub.offline.asked", String(Date.now()));
    } catch (error) {
      // No session storage (a locked-down browser): ask at each page.
    }
    return true;
  }

  const body = document.body;
  if (body.hasAttribute("data-offline-forget")) {
    // The login page, also where logging out lands: the pages kept for the previous person go.
    tellWorker({type: "forget"});
    try {
      sessionStorage.removeItem("hub.offline.asked"); // the next person's pages are asked for at their first page
    } catch (error) {
      // No session storage: nothing was remembered.
    }
  } else if (body.dataset.offlineKeep && navigator.onLine && askedLongAgo()) {
    fetch(body.dataset.offlineKeep, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        const json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return response.ok && json ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && Array.isArray(answer.urls)) tellWorker({type: "keep", urls: answer.urls});
      })
      .catch(function () {
        // The network went between two pages: the next page load asks again.
      });
  }
})();
