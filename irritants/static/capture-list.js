/* The capture page's lists: « En attente d'envoi » (each entry with « Modifier » and « Retirer », the removal
 * asked again in the page), « Saisies mises de côté » (entries and photos the server refused, to correct or
 * discard) and the entries recorded. Drawn here, from the store; what a button does is decided by capture.js.
 * create(nodes, state): nodes { pending, queueBox, queueList, blockedBox, recorded, title (the field focused when
 * no button is) }; state, read from the page: text(node, name, replacements), store(), inFlight() (the key being
 * sent), editingKey() (the key loaded back into the form), confirming() (the key whose removal waits for a yes),
 * seen(entries) (told the entries read). Every text shown comes from those nodes' data-* attributes.
 */
(function () {
  "use strict";

  function create(nodes, state) {
    var pending = nodes.pending;
    var queueBox = nodes.queueBox;
    var queueList = nodes.queueList;
    var blockedBox = nodes.blockedBox;
    var recordedList = nodes.recorded;
    var text = state.text;
    var inFlight = state.inFlight;

    function hiddenTitle(title) {
      var span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = " « " + (title || "") + " »";
      return span;
    }

    function actionButton(action, key, label, title, locked) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.setAttribute("data-action", action);
      button.setAttribute("data-key", key);
      button.textContent = label;
      button.appendChild(hiddenTitle(title));
      if (locked) { button.setAttribute("aria-disabled", "true"); }
      return button;
    }

    function photoCount(count) {
      return count === 0 ? queueBox.getAttribute("data-photo-none") : count === 1 ? queueBox.getAttribute("data-photo-one")
        : text(queueBox, "data-photo-many", { "__N__": String(count) });
    }

    function time(at) {
      return new Date(at).toLocaleTimeString(document.documentElement.lang || "fr",
                                             { hour: "2-digit", minute: "2-digit", hour12: false });
    }

    function showQueue(waiting) {
      var count = waiting.length;
      pending.textContent = count === 0 ? pending.getAttribute("data-none") : count === 1 ? pending.getAttribute("data-one")
        : text(pending, "data-many", { "__N__": String(count) });
      queueBox.hidden = count === 0;
      queueBox.querySelector("h2").textContent = text(queueBox, "data-heading", { "__N__": String(count) });
      queueList.textContent = "";
      waiting.forEach(function (entry) {
        var key = entry.client_key;
        var title = entry.fields.title || "";
        var locked = key === inFlight() || !!entry.saved;
        var item = document.createElement("li");
        item.setAttribute("data-key", key);
        var when = document.createElement("time");
        when.className = "capture-queue-time";
        when.dateTime = new Date(entry.captured_at).toISOString();
        when.textContent = time(entry.captured_at);
        var name = document.createElement("strong");
        name.className = "capture-queue-title";
        name.textContent = title;
        var facts = [entry.fields.service || "", photoCount((entry.photos || []).length)];
        if (entry.saved) { facts.push(queueBox.getAttribute("data-photos-sending")); }
        else if (key === inFlight()) { facts.push(queueBox.getAttribute("data-sending")); }
        else if (state.editingKey() === key) { facts.push(queueBox.getAttribute("data-being-edited")); }
        var about = document.createElement("p");
        about.appendChild(when);
        about.appendChild(document.createTextNode(" "));
        about.appendChild(name);
        about.appendChild(document.createTextNode(" — " + facts.filter(Boolean).join(" — ")));
        item.appendChild(about);
        var actions = document.createElement("div");
        actions.className = "capture-queue-actions";
        if (state.confirming() === key && !locked) {
          var question = document.createElement("p");
          question.textContent = queueBox.getAttribute("data-confirm");
          actions.appendChild(question);
          actions.appendChild(actionButton("confirm-yes", key, queueBox.getAttribute("data-confirm-yes"), title));
          actions.appendChild(actionButton("confirm-no", key, queueBox.getAttribute("data-confirm-no"), title));
        } else {
          actions.appendChild(actionButton("edit", key, queueBox.getAttribute("data-edit"), title, locked));
          actions.appendChild(actionButton("remove", key, queueBox.getAttribute("data-remove"), title, locked));
        }
        item.appendChild(actions);
        queueList.appendChild(item);
      });
    }

    function showBlocked(entries, photos) {
      var items = blockedBox.querySelector("ul");
      items.textContent = "";
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.appendChild(document.createTextNode((entry.fields.title || "") + " — " + entry.blocked + " "));
        item.appendChild(actionButton("fix", entry.client_key, blockedBox.getAttribute("data-fix"), entry.fields.title));
        item.appendChild(actionButton("drop", entry.client_key, blockedBox.getAttribute("data-drop"), entry.fields.title));
        items.appendChild(item);
      });
      photos.forEach(function (photo) {
        var item = document.createElement("li");
        var label = (photo.title || "") + " — " + blockedBox.getAttribute("data-photo") + " « " + (photo.label || photo.name) + " »";
        item.appendChild(document.createTextNode(label + " — " + photo.blocked + " "));
        item.appendChild(actionButton("drop-photo", photo.key, blockedBox.getAttribute("data-drop"), label));
        items.appendChild(item);
      });
      blockedBox.hidden = entries.length + photos.length === 0;
    }

    function draw(entries, photos) {
      // Entries set aside go to the second list; the focus stays on the same button of the same entry.
      var active = document.activeElement;
      var focus = active && active.getAttribute && active.getAttribute("data-action")
        ? [active.getAttribute("data-action"), active.getAttribute("data-key")] : null;
      showQueue(entries.filter(function (entry) { return !entry.blocked; }));
      showBlocked(entries.filter(function (entry) { return entry.blocked; }),
                  photos.filter(function (photo) { return photo.blocked; }));
      if (focus) {
        var again = document.querySelector('[data-action="' + focus[0] + '"][data-key="' + focus[1] + '"]');
        if (again) { again.focus(); }
      }
    }

    function recorded(saved, key) {
      // An entry the server recorded, first in the page's list of this workshop's entries (once).
      if (recordedList.querySelector('[data-key="' + key + '"]')) { return; }
      var item = document.createElement("li");
      item.setAttribute("data-key", key);
      var link = document.createElement("a");
      link.href = saved.url;
      link.textContent = saved.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" — " + saved.service));
      recordedList.insertBefore(item, recordedList.firstChild);
    }

    var rendering = 0;
    function render() {
      // Both lists drawn again from the store; only the latest drawing asked for is shown.
      var store = state.store();
      if (!store) { return Promise.resolve(); }
      var turn = ++rendering;
      return Promise.all([store.entries(), store.photos()]).then(function (read) {
        if (turn !== rendering) { return; }
        state.seen(read[0]);
        draw(read[0], read[1]);
      });
    }

    function focusAfter(selector) {
      // Drawn again, then the focus on that button (a selector), or on the form's title.
      render().then(function () {
        var target = selector && document.querySelector(selector);
        (target || nodes.title).focus();
      });
    }

    function onAction(handler) {
      // A click on a button of the lists, told as handler(action, key) (the button's data-action and data-key).
      function clicked(event) {
        var button = event.target.closest ? event.target.closest("button[data-action]") : null;
        if (button) { handler(button.getAttribute("data-action"), button.getAttribute("data-key")); }
      }
      queueList.addEventListener("click", clicked);
      blockedBox.addEventListener("click", clicked);
    }

    return { render: render, focusAfter: focusAfter, onAction: onAction, recorded: recorded };
  }

  window.HubCaptureList = { create: create };
}());
