/* Sending the capture queue: in order, one entry at a time, then that entry's photos one by one.
 *
 * An entry leaves the tablet's store only once the server has answered 201 (created) or 200 (that key was already
 * recorded); so does each photo, under its own key. A form token refused (400) is fetched afresh once; a session
 * that ended (the answer is the login page) keeps everything until the next login; an entry or a photo refused for
 * another reason is set aside with it and the queue goes on; no network or an unwell server (5xx) stops the round,
 * everything kept, until the next one (at the `online` event, every 15 s, at page load: capture.js decides).
 * The page is told through hooks: isHeld(key) (a correction under way: the queue waits there), started(entry),
 * recorded(saved, entry), refused(entry, errors), sessionEnded(), reached() (the server answered), changed().
 */
(function () {
  "use strict";

  function create(form, store, blockedBox, hooks) {
    var sending = false;
    var inFlight = null;

    function currentToken() {
      return form.elements.csrf_token ? form.elements.csrf_token.value : "";
    }

    function sessionEnded(response) {
      // 401: the hub's plain answer to a script once the session is over (hub/core/auth.py); a redirect to the login
      // page is what an older hub answered.
      return response.status === 401 ||
        (response.redirected && response.url.indexOf(form.getAttribute("data-login-path")) !== -1);
    }

    function refreshToken() {
      // The page's token belongs to the session it was served in; after a new login it is refused.
      return fetch(form.getAttribute("data-token-url"), { headers: { "Accept": "application/json" },
                                                          credentials: "same-origin" })
        .then(function (response) {
          if (sessionEnded(response)) { return "ended"; }
          if (!response.ok) { return "failed"; }
          return response.json().then(function (body) {
            form.elements.csrf_token.value = body.csrf_token;
            return "fresh";
          });
        }).catch(function () { return "failed"; });
    }

    function post(url, makeBody, retried) {
      // Resolves with the response, or null when it should wait: logged out (the page is told), or no network.
      return fetch(url, { method: "POST", headers: { "Accept": "application/json", "X-CSRFToken": currentToken() },
                          body: makeBody(currentToken()), credentials: "same-origin" })
        .then(function (response) {
          if (sessionEnded(response)) { return "ended"; }
          if (response.status === 400 && !retried) {
            return refreshToken().then(function (token) {
              return token === "fresh" ? post(url, makeBody, true) : token === "ended" ? "ended" : null;
            });
          }
          return response;
        }, function () { return null; });
    }

    function answered(response) {
      if (response === "ended") { hooks.sessionEnded(); }
      if (!response || response === "ended") { return false; }
      hooks.reached();
      return true;
    }

    function reason(status) {
      return (blockedBox.getAttribute("data-reason") || "") + " (" + status + ")";
    }

    function json(response) {
      return response.json().catch(function () { return {}; });
    }

    function sendEntry(entry) {
      return post(form.action, function (token) {
        var body = new URLSearchParams(entry.fields);
        body.set("client_key", entry.client_key);
        body.set("csrf_token", token); // the page's token, not the one of the session the entry was typed in
        return body;
      }).then(function (response) {
        if (!answered(response)) { return "stop"; }
        if (response.status === 200 || response.status === 201) {
          return json(response).then(function (saved) {
            hooks.recorded(saved, entry);
            if (!(entry.photos || []).length) {
              return store.remove(entry, true).then(function () { return "next"; });
            }
            entry.saved = saved; // recorded: only its photos wait now, and it can no longer be changed
            return store.update(entry.client_key, function (stored) { stored.saved = saved; }).then(function () {
              hooks.changed();
              return sendPhotos(entry);
            });
          });
        }
        if (response.status >= 400 && response.status < 500) {
          return json(response).then(function (body) {
            entry.blocked = reason(response.status);
            return store.update(entry.client_key, function (stored) { stored.blocked = entry.blocked; }).then(function () {
              inFlight = null; // set aside: the page may load it back into the form (422: its fields are wrong)
              if (response.status === 422) { hooks.refused(entry, body.errors || {}); }
              return "next";
            });
          });
        }
        return "stop"; // the server is unwell: keep the entry and try again later
      });
    }

    function sendPhotos(entry) {
      // One by one, each removed from the tablet once the server has it; one refused is set aside, the rest go on.
      var saved = entry.saved;
      var url = saved.photos_url || ("/irritants/" + saved.id + "/photos");
      return store.photosOf(entry).then(function (photos) {
        var waiting = photos.filter(function (photo) { return !photo.blocked; });
        function next(index) {
          if (index >= waiting.length) {
            return store.remove(entry, true).then(function () { return "next"; }); // those set aside stay listed
          }
          var photo = waiting[index];
          return post(url, function (token) {
            var body = new FormData();
            body.set("csrf_token", token);
            body.set("client_key", photo.key);
            body.set("photo", photo.blob, photo.name || photo.key + ".jpg");
            return body;
          }).then(function (response) {
            if (!answered(response)) { return "stop"; }
            if (response.status === 200 || response.status === 201) {
              return store.removePhoto(photo.key).then(function () { return next(index + 1); });
            }
            if (response.status >= 400 && response.status < 500) {
              return json(response).then(function (body) {
                var why = body.errors && body.errors.photo ? body.errors.photo.join(" ") : reason(response.status);
                return store.updatePhoto(photo.key, function (stored) {
                  stored.blocked = why;
                  stored.title = saved.title;
                  stored.photos_url = url;
                });
              }).then(function () { return next(index + 1); });
            }
            return "stop";
          });
        }
        return next(0);
      });
    }

    function send() {
      if (sending) { return; }
      sending = true;
      function loop() {
        return store.entries().then(function (entries) {
          var entry = entries.filter(function (item) { return !item.blocked; })[0];
          if (!entry || hooks.isHeld(entry.client_key)) { return "stop"; } // a correction under way keeps its place
          inFlight = entry.client_key;
          hooks.started(entry);
          return (entry.saved ? sendPhotos(entry) : sendEntry(entry)).then(function (outcome) {
            inFlight = null;
            return outcome === "next" ? loop() : outcome;
          });
        });
      }
      loop().catch(function () { return "stop"; }).then(function () {
        inFlight = null;
        sending = false;
        hooks.changed();
      });
    }

    return { send: send, inFlight: function () { return inFlight; } };
  }

  window.HubCaptureSender = { create: create };
}());
