/* On-site capture that loses nothing on a poor network: the queue as a list.
 *
 * Guarantees:
 * - Each entry gets a key made here before the first attempt and is stored on the tablet (IndexedDB, through
 *   capture-store.js) with its photos before it is sent, per account and per workshop: two facilitators sharing a
 *   tablet never see nor send each other's entries. The old localStorage queue is moved there on first load.
 * - Entries leave in the order they were captured, one at a time; an entry leaves the queue only once the server
 *   has answered (201 created, or 200 when it had already recorded that key), so a lost answer or a dropped network
 *   never loses an entry nor records it twice. Its photos follow, one by one, each with its own key, each removed
 *   from the tablet only once the server has it; then the next entry goes. The queue is sent again when the browser
 *   comes back online, every 15 seconds, and when the page opens.
 * - Every entry waiting is listed, with « Modifier » (corrected in place: same key, same place in the queue) and
 *   « Retirer » (after an in-page confirmation). The entry being sent is locked: it can be neither changed nor removed.
 * - Entries and photos are sent with the page's own form token; a token refused is fetched afresh once; a session
 *   that ended keeps everything until the next login; an entry or a photo the server refuses for another reason is
 *   set aside with it (an entry to correct or discard, a photo to discard) and never holds up the others.
 * - Without IndexedDB (or fetch), the script steps aside and the form posts as a plain HTML form.
 * Every text shown comes from the page's data-* attributes (translated there).
 * The parts: capture-store.js (IndexedDB, its layout described there), capture-photos.js (photos made smaller,
 * the form's chosen photos), capture-send.js (sending the queue), capture-list.js (the lists drawn from the store);
 * this file runs the page: form, storing, what the lists' buttons do, opening.
 */
(function () {
  "use strict";

  var form = document.getElementById("capture-form");
  if (!form || !window.fetch || !window.Promise || !window.indexedDB || !window.FormData || !window.HubCaptureStore ||
      !window.HubCapturePhotos || !window.HubCaptureSender || !window.HubCaptureList) {
    return; // the form still posts as a plain HTML form (a part missing too: all or nothing)
  }
  var workshop = form.getAttribute("data-workshop");
  var account = form.getAttribute("data-account") || "";
  var pending = document.getElementById("capture-pending");
  var status = document.getElementById("capture-status");
  var feedback = document.getElementById("capture-feedback");
  var blockedBox = document.getElementById("capture-blocked");
  var queueBox = document.getElementById("capture-queue");
  var queueList = document.getElementById("capture-queue-list");
  var list = document.getElementById("captured-list");
  var chooser = window.HubCapturePhotos.chooser(document.getElementById("photos"),
    document.getElementById("photos-error"), document.getElementById("photos-chosen"), newKey);
  var submitButton = document.getElementById("capture-submit");
  var cancelEdit = document.getElementById("capture-cancel-edit");
  var editingNote = document.getElementById("capture-editing");
  var keepBetweenEntries = ["csrf_token", "service", "theme", "kind"];

  var store = null;          // set once IndexedDB is open
  var storeFailed = false;   // IndexedDB refused: the next submit posts as plain HTML
  var held = {};             // keys not to send yet: being corrected, or a correction being stored
  var editing = null;        // the entry loaded back into the form
  var confirming = null;     // the key of the entry whose removal waits for a confirmation
  var lastSeq = 0;
  var saving = Promise.resolve();
  var statusTimer = null;

  function text(node, name, replacements) {
    var value = node.getAttribute(name) || "";
    Object.keys(replacements || {}).forEach(function (token) { value = value.split(token).join(replacements[token]); });
    return value;
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 14);
  }

  function nextSeq() {
    lastSeq = Math.max(Date.now(), lastSeq + 1);
    return lastSeq;
  }

  function announce(name, title) {
    // Visible for a few seconds, read out politely: « Enregistré : … », « Saisie retirée : … ».
    status.textContent = text(status, name, { "__TITLE__": title || "" });
    window.clearTimeout(statusTimer);
    statusTimer = window.setTimeout(function () { status.textContent = ""; }, 8000);
  }

  // ---- The form ------------------------------------------------------------------------------------------------

  function takeForm() {
    // What the form holds now, taken at once so that the next entry can be typed while this one is stored.
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "client_key" && name !== "photos") { fields[name] = value; }
    });
    return { fields: fields, photos: chooser.photos(), dropped: chooser.dropped(), editing: editing,
             seq: editing ? editing.seq : nextSeq(), at: editing ? editing.captured_at : Date.now() };
  }

  function fill(fields) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "hidden" || element.type === "file") { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Object.prototype.hasOwnProperty.call(fields, element.name);
      } else if (Object.prototype.hasOwnProperty.call(fields, element.name)) {
        element.value = fields[element.name];
      }
    });
  }

  function clearForNext() {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || keepBetweenEntries.indexOf(element.name) !== -1 || element.type === "hidden") {
        return;
      }
      if (element.tagName === "SELECT") {
        // Back to the option the page chose (a default, or the empty « — Choisir — »), not blindly the first one.
        var selected = 0;
        Array.prototype.forEach.call(element.options, function (option, index) {
          if (option.defaultSelected) { selected = index; }
        });
        element.selectedIndex = selected;
      } else if (element.type === "checkbox" || element.type === "radio") {
        element.checked = element.defaultChecked;
      } else if (element.type === "file" || element.tagName === "TEXTAREA" || element.name === "title") {
        element.value = "";
      } else {
        element.value = element.defaultValue; // a figure's default (0, 1) as the page drew it
      }
    });
    chooser.reset();
    setEditing(null);
    clearErrors();
    form.elements.title.focus(); // the next entry starts at once, on the keyboard
  }

  function setEditing(entry) {
    if (editing && (!entry || editing.client_key !== entry.client_key)) {
      delete held[editing.client_key];
    }
    editing = entry;
    if (entry) { held[entry.client_key] = true; }
    submitButton.textContent = form.getAttribute(entry ? "data-submit-correct" : "data-submit-new");
    cancelEdit.hidden = !entry;
    editingNote.hidden = !entry;
    editingNote.textContent = entry ? text(form, "data-editing", { "__TITLE__": entry.fields.title || "" }) : "";
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-client-error]"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (field) {
      field.removeAttribute("aria-invalid");
    });
  }

  function showErrors(errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      if (!field || field.type === "hidden") { return; }
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
    if (first) { first.focus(); }
  }

  function keepWhatIsTyped() {
    // Something typed for a new entry goes to the queue before the form is used for another: nothing typed is lost.
    if (!editing && (form.elements.title.value.trim() !== "" || chooser.photos().length)) {
      var snapshot = takeForm();
      store_(snapshot);
      announce("data-kept-typed", snapshot.fields.title);
    }
  }

  function edit(entry, errors) {
    // The entry back into the form, its photos kept; saving it replaces it where it stands in the queue.
    if (entry.client_key === inFlight() || entry.saved) {
      announce("data-locked", entry.fields.title);
      return;
    }
    keepWhatIsTyped();
    confirming = null;
    fill(entry.fields);
    setEditing(entry);
    chooser.reset();
    store.photosOf(entry).then(function (photos) {
      if (editing !== entry) { return; }
      chooser.load(photos.filter(function (photo) { return !photo.blocked; }));
    });
    if (errors) {
      showErrors(errors);
    } else {
      clearErrors();
      form.elements.title.focus();
    }
    render();
  }

  // ---- Storing on the tablet ---------------------------------------------------------------------------------------

  function store_(snapshot) {
    // In submit order, one after the other; a correction stays held (unsent) until it is stored.
    var entryKey = snapshot.editing ? snapshot.editing.client_key : newKey();
    held[entryKey] = true;
    saving = saving.then(function () {
      return Promise.all(snapshot.photos.map(function (photo) {
        if (photo.stored) { return { key: photo.key, stored: true }; }
        return photo.ready.then(function (made) {
          return made && { key: photo.key, name: photo.name, label: photo.label, blob: made.blob,
                           thumbnail: made.thumbnail };
        });
      }));
    }).then(function (photos) {
      photos = photos.filter(Boolean);
      var entry = { client_key: entryKey, seq: snapshot.seq, captured_at: snapshot.at, fields: snapshot.fields,
                    photos: photos.map(function (photo) { return photo.key; }) };
      var added = photos.filter(function (photo) { return !photo.stored; });
      return store.save(entry, added, snapshot.dropped);
    }).then(function () {
      if (!editing || editing.client_key !== entryKey) { delete held[entryKey]; }
      announce(snapshot.editing ? "data-corrected" : "data-queued", snapshot.fields.title);
      render();
      send();
    }, function () {
      delete held[entryKey];
      feedback.textContent = feedback.getAttribute("data-storage-failed");
      if (!snapshot.editing && form.elements.title.value.trim() === "") { fill(snapshot.fields); }
    });
  }

  form.addEventListener("submit", function (event) {
    if (storeFailed) {
      return; // IndexedDB refused: the plain HTML form posts, with its photos
    }
    event.preventDefault();
    if (!form.checkValidity()) {
      form.reportValidity(); // what the browser can check is fixed before the entry leaves the form
      return;
    }
    var snapshot = takeForm();
    clearForNext();
    ready.then(function () { store_(snapshot); }, function () {
      fill(snapshot.fields); // the tablet could not keep it: back into the form, to be posted as plain HTML
      feedback.textContent = feedback.getAttribute("data-storage-failed");
    });
  });

  cancelEdit.addEventListener("click", function () {
    clearForNext();
    render();
    send();
  });

  // ---- The lists -------------------------------------------------------------------------------------------------

  // Drawn by capture-list.js (the focus kept on the same button of the same entry); their buttons are answered here.
  var lists = window.HubCaptureList.create(
    { pending: pending, queueBox: queueBox, queueList: queueList, blockedBox: blockedBox, recorded: list,
      title: form.elements.title },
    { text: text, inFlight: inFlight, store: function () { return store; },
      editingKey: function () { return editing ? editing.client_key : null; },
      confirming: function () { return confirming; },
      seen: function (entries) { entries.forEach(function (entry) { lastSeq = Math.max(lastSeq, entry.seq); }); } });

  function render() {
    return lists.render(); // both lists drawn again from the store
  }

  function entryByKey(key) {
    return store.entries().then(function (entries) {
      return entries.filter(function (entry) { return entry.client_key === key; })[0];
    });
  }

  lists.onAction(function (action, key) {
    if (!store) { return; }
    if (action === "drop-photo") {
      store.removePhoto(key).then(function () { lists.focusAfter(null); });
      return;
    }
    entryByKey(key).then(function (entry) {
      if (!entry) { render(); return; }
      var title = entry.fields.title;
      var locked = key === inFlight() || !!entry.saved;
      if ((action === "edit" || action === "remove" || action === "confirm-yes") && locked) {
        confirming = null;
        announce("data-locked", title);
        render();
      } else if (action === "edit" || action === "fix") {
        edit(entry);
      } else if (action === "remove") {
        confirming = key;
        lists.focusAfter('[data-action="confirm-no"][data-key="' + key + '"]');
      } else if (action === "confirm-no") {
        confirming = null;
        lists.focusAfter('[data-action="remove"][data-key="' + key + '"]');
      } else if (action === "confirm-yes" || action === "drop") {
        confirming = null;
        if (editing && editing.client_key === key) { clearForNext(); }
        store.remove(entry, false).then(function () {
          announce("data-removed", title);
          lists.focusAfter(null);
        });
      }
    });
  });

  // ---- Sending (capture-send.js) -------------------------------------------------------------------------------

  var sender = null; // made once the store is open
  function send() {
    if (sender) { sender.send(); }
  }

  function inFlight() {
    return sender ? sender.inFlight() : null;
  }

  function makeSender() {
    var ended = feedback.getAttribute("data-session-ended");
    return window.HubCaptureSender.create(form, store, blockedBox, {
      isHeld: function (key) { return !!held[key]; },
      started: function (entry) {
        if (confirming === entry.client_key) { confirming = null; }
        render();
      },
      recorded: function (saved, entry) {
        lists.recorded(saved, entry.client_key);
        announce("data-saved", saved.title);
      },
      refused: function (entry, errors) {
        if (!editing) { edit(entry, errors); } // else it waits, set aside, for « Corriger »
      },
      sessionEnded: function () { feedback.textContent = ended; }, // kept on this tablet until the next login
      reached: function () {
        if (feedback.textContent === ended) { feedback.textContent = ""; }
      },
      changed: render
    });
  }

  // ---- Opening -----------------------------------------------------------------------------------------------------

  // The service is chosen in a menu (the programme's list), typed to by its first letters: Enter there sends the
  // entry, as it does in the text fields, so that the keyboard flow of the day stays title, Tab, service, Enter.
  var serviceMenu = form.elements.service;
  if (serviceMenu && serviceMenu.tagName === "SELECT") {
    serviceMenu.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  var ready = window.HubCaptureStore.open(account, workshop).then(function (opened) {
    store = opened;
    sender = makeSender();
    return store.moveOldQueue("hub.capture.workshop." + workshop, nextSeq, newKey).catch(function () { return null; });
  }, function (error) {
    storeFailed = true; // no IndexedDB here (a private window, a refused quota): the plain form posts
    throw error;
  });
  ready.then(function () {
    render();
    window.addEventListener("online", send);
    window.setInterval(send, 15000);
    send();
  }, function () { return null; });
}());
