/* On-site capture that loses nothing on a poor network.
 *
 * Each entry gets a key made here before the first attempt, and is written to localStorage
 * before it is sent. It leaves the queue only once the server has answered (201 created, or
 * 200 when the server had already recorded that key), so a lost answer or a dropped network
 * never loses an entry nor records it twice. The queue is sent again when the browser comes
 * back online, every 15 seconds, and when the page opens.
 *
 * Entries are sent with the page's own form token: one typed before the browser was closed and the
 * person logged in again must not carry the old session's token. A token refused is fetched afresh
 * once; a session that ended keeps the entries until the next login; an entry the server refuses
 * for another reason is set aside with it (to correct or discard) and never holds up the others.
 */
(function () {
  "use strict";

  var form = document.getElementById("capture-form");
  if (!form || !window.fetch || !window.localStorage) {
    return; // the form still posts as a plain HTML form
  }
  var storageKey = "hub.capture.workshop." + form.getAttribute("data-workshop");
  var pending = document.getElementById("capture-pending");
  var feedback = document.getElementById("capture-feedback");
  var list = document.getElementById("captured-list");
  var keepBetweenEntries = ["csrf_token", "service", "theme", "kind"];
  var sending = false;

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "[]");
    } catch (error) {
      return [];
    }
  }

  function writeQueue(queue) {
    localStorage.setItem(storageKey, JSON.stringify(queue));
    showCount();
  }

  function showCount() {
    // What waits to leave; entries set aside are listed apart, with their reason.
    var count = readQueue().filter(function (item) { return !item.blocked; }).length;
    var text = count === 0 ? pending.getAttribute("data-none")
      : count === 1 ? pending.getAttribute("data-one")
        : pending.getAttribute("data-many").replace("__N__", String(count));
    pending.textContent = text;
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 14);
  }

  function entryFromForm() {
    var entry = {};
    new FormData(form).forEach(function (value, name) { entry[name] = value; });
    entry.client_key = newKey();
    return entry;
  }

  function clearForNext() {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || keepBetweenEntries.indexOf(element.name) !== -1 || element.type === "hidden") {
        return;
      }
      if (element.tagName === "SELECT") {
        // Back to the option the page chose (a default, or the empty « — Choisir — »), not blindly the first one.
        var chosen = 0;
        Array.prototype.forEach.call(element.options, function (option, index) {
          if (option.defaultSelected) {
            chosen = index;
          }
        });
        element.selectedIndex = chosen;
      } else if (element.type === "checkbox" || element.type === "radio") {
        element.checked = element.defaultChecked;
      } else if (element.tagName === "TEXTAREA" || element.name === "title") {
        element.value = "";
      } else {
        element.value = element.defaultValue; // a figure's default (0, 1) as the page drew it, typed as text or not
      }
    });
    clearErrors();
    form.elements.title.focus(); // the next entry starts at once, on the keyboard
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-client-error]"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (field) {
      field.removeAttribute("aria-invalid");
    });
  }

  function showErrors(entry, errors) {
    // The refused entry comes back into the form, with each message next to its field. If
    // something is being typed there, it goes to the queue first so that it is not lost.
    if (form.elements.title.value.trim() !== "") {
      var queue = readQueue();
      queue.push(entryFromForm());
      writeQueue(queue);
    }
    Object.keys(entry).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.type !== "hidden") {
        field.value = entry[name];
      }
    });
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      if (!field || field.type === "hidden") {
        return;
      }
      var message = document.createElement("small");
      message.className = "field-error";
      message.id = name + "-client-error";
      message.setAttribute("data-client-error", "");
      message.textContent = errors[name].join(" ");
      field.parentNode.appendChild(message);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", message.id);
      first = first || field;
    });
    feedback.textContent = feedback.getAttribute("data-refused");
    if (first) {
      first.focus();
    }
  }

  function addToList(saved, key) {
    if (list.querySelector('[data-key="' + key + '"]')) {
      return;
    }
    var item = document.createElement("li");
    item.setAttribute("data-key", key);
    var link = document.createElement("a");
    link.href = saved.url;
    link.textContent = saved.title;
    item.appendChild(link);
    item.appendChild(document.createTextNode(" — " + saved.service));
    list.insertBefore(item, list.firstChild);
  }

  function currentToken() {
    return form.elements.csrf_token ? form.elements.csrf_token.value : "";
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

  function sessionEnded(response) {
    return response.redirected && response.url.indexOf(form.getAttribute("data-login-path")) !== -1;
  }

  function block(entry, reason) {
    // Set aside with its reason: it no longer holds up the entries behind it, and the person decides.
    writeQueue(readQueue().map(function (item) {
      if (item.client_key === entry.client_key) { item.blocked = reason; }
      return item;
    }));
  }

  function showBlocked() {
    var box = document.getElementById("capture-blocked");
    if (!box) { return; }
    var blocked = readQueue().filter(function (item) { return item.blocked; });
    box.hidden = blocked.length === 0;
    var items = box.querySelector("ul");
    items.textContent = "";
    blocked.forEach(function (entry) {
      var item = document.createElement("li");
      item.appendChild(document.createTextNode(entry.title + " — " + entry.blocked + " "));
      [["data-fix", function () { fix(entry); }], ["data-drop", function () { drop(entry); }]].forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = box.getAttribute(pair[0]);
        button.addEventListener("click", pair[1]);
        item.appendChild(button);
      });
      items.appendChild(item);
    });
  }

  function drop(entry) {
    writeQueue(readQueue().filter(function (item) { return item.client_key !== entry.client_key; }));
    showBlocked();
  }

  function fix(entry) {
    // Back into the form, to be corrected and sent again as a new entry.
    drop(entry);
    Object.keys(entry).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.type !== "hidden") { field.value = entry[name]; }
    });
    form.elements.title.focus();
  }

  function post(entry) {
    var body = new URLSearchParams(entry);
    body.delete("blocked");
    body.set("csrf_token", currentToken()); // the page's token, not the one of the session the entry was typed in
    return fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": currentToken() },
      body: body,
      credentials: "same-origin"
    });
  }

  function send(retried) {
    var queue = readQueue();
    var entry = queue.filter(function (item) { return !item.blocked; })[0];
    showBlocked();
    showCount(); // at once: the page opens saying nothing waits, which is untrue while the queue is sent
    if (sending || !entry) {
      showCount();
      return;
    }
    sending = true;
    post(entry).then(function (response) {
      if (sessionEnded(response)) {
        feedback.textContent = feedback.getAttribute("data-session-ended");
        return "wait"; // kept on this tablet until the person logs in again
      }
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (saved) {
          writeQueue(readQueue().filter(function (item) { return item.client_key !== entry.client_key; }));
          addToList(saved, entry.client_key);
          feedback.textContent = feedback.getAttribute("data-saved") + " " + saved.title;
          return "sent";
        });
      }
      if (response.status === 422) {
        return response.json().then(function (body) {
          writeQueue(readQueue().filter(function (item) { return item.client_key !== entry.client_key; }));
          showErrors(entry, body.errors || {});
          return "refused";
        });
      }
      if (response.status === 400 && !retried) {
        return refreshToken().then(function (token) {
          if (token === "ended") { feedback.textContent = feedback.getAttribute("data-session-ended"); }
          return token === "fresh" ? "retry" : "wait";
        });
      }
      if (response.status >= 400 && response.status < 500) {
        block(entry, blockedReason(response.status));
        return "next";
      }
      return "wait"; // the server is unwell: keep the entry and try again later
    }).catch(function () {
      return "wait"; // no network: keep the entry
    }).then(function (outcome) {
      sending = false;
      showBlocked();
      if (outcome === "sent" || outcome === "next") {
        send(false);
      } else if (outcome === "retry") {
        send(true);
      } else {
        showCount();
      }
    });
  }

  function blockedReason(status) {
    var box = document.getElementById("capture-blocked");
    return (box ? box.getAttribute("data-reason") : "") + " (" + status + ")";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.checkValidity()) {
      form.reportValidity(); // what the browser can check is fixed before the entry leaves the form
      return;
    }
    var queue = readQueue();
    queue.push(entryFromForm());
    writeQueue(queue);
    clearForNext();
    send(false);
  });

  // The service is chosen in a menu (the programme's list), typed to by its first letters: Enter there sends the
  // entry, as it does in the text fields, so that the keyboard flow of the day stays title, Tab, service, Enter.
  var serviceMenu = form.elements.service;
  if (serviceMenu && serviceMenu.tagName === "SELECT") {
    serviceMenu.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
        return;
      }
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  window.addEventListener("online", function () { send(false); });
  window.setInterval(function () { send(false); }, 15000);
  send(false);
}());
