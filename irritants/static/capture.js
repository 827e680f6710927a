/* On-site capture that loses nothing on a poor network.
 *
 * Each entry gets a key made here before the first attempt, and is written to localStorage
 * before it is sent. It leaves the queue only once the server has answered (201 created, or
 * 200 when the server had already recorded that key), so a lost answer or a dropped network
 * never loses an entry nor records it twice. The queue is sent again when the browser comes
 * back online, every 15 seconds, and when the page opens.
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
    showCount(queue.length);
  }

  function showCount(count) {
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
        element.selectedIndex = 0;
      } else if (element.type === "number") {
        element.value = element.defaultValue;
      } else {
        element.value = "";
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

  function send() {
    var queue = readQueue();
    if (sending || queue.length === 0) {
      showCount(queue.length);
      return;
    }
    sending = true;
    var entry = queue[0];
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": entry.csrf_token },
      body: new URLSearchParams(entry),
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (saved) {
          writeQueue(readQueue().filter(function (item) { return item.client_key !== entry.client_key; }));
          addToList(saved, entry.client_key);
          feedback.textContent = feedback.getAttribute("data-saved") + " " + saved.title;
          return true;
        });
      }
      if (response.status === 422) {
        return response.json().then(function (body) {
          writeQueue(readQueue().filter(function (item) { return item.client_key !== entry.client_key; }));
          showErrors(entry, body.errors || {});
          return false;
        });
      }
      return false; // the server is unwell: keep the entry and try again later
    }).catch(function () {
      return false; // no network: keep the entry
    }).then(function (sentOne) {
      sending = false;
      if (sentOne) {
        send();
      } else {
        showCount(readQueue().length);
      }
    });
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
    send();
  });

  window.addEventListener("online", send);
  window.setInterval(send, 15000);
  send();
}());
