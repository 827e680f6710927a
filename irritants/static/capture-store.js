/* The capture queue's storage on the tablet: IndexedDB, per account and per workshop.
 *
 * Database "hub-capture" (version 1):
 *   - store "entries", key "client_key": { client_key, account, workshop, seq, captured_at, fields, photos,
 *     blocked, saved } — seq orders the queue (kept when an entry is corrected); fields are the form's values;
 *     photos lists the keys of its photos in the order chosen; blocked is the reason the server gave when it
 *     refused it; saved is the server's answer once the entry is recorded and only its photos still wait.
 *     Index "owner" on [account, workshop]: a page reads and sends only its own account's entries.
 *   - store "photos", key "key" (the photo's client_key, made when it was chosen): { key, entry, account,
 *     workshop, blob, name, title, photos_url, blocked } — entry is the entry's client_key (index "entry");
 *     title and photos_url are copied there once the entry is recorded, so that a photo the server refused
 *     can still be listed (and abandoned) after its entry left the queue.
 * Every write is one transaction: an entry and its photos are stored, replaced or removed together.
 */
(function () {
  "use strict";

  var NAME = "hub-capture";
  var VERSION = 1;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function done(transaction) {
    return new Promise(function (resolve, reject) {
      transaction.oncomplete = function () { resolve(); };
      transaction.onerror = function () { reject(transaction.error); };
      transaction.onabort = function () { reject(transaction.error); };
    });
  }

  function open() {
    if (!window.indexedDB) {
      return Promise.reject(new Error("IndexedDB absent"));
    }
    var request = window.indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = function () {
      var db = request.result;
      if (!db.objectStoreNames.contains("entries")) {
        db.createObjectStore("entries", { keyPath: "client_key" }).createIndex("owner", ["account", "workshop"]);
      }
      if (!db.objectStoreNames.contains("photos")) {
        var photos = db.createObjectStore("photos", { keyPath: "key" });
        photos.createIndex("entry", "entry");
        photos.createIndex("owner", ["account", "workshop"]);
      }
    };
    return promised(request);
  }

  function Store(db, account, workshop) {
    this.db = db;
    this.owner = [account, workshop];
  }

  Store.prototype.entries = function () {
    // This account's entries for this workshop, in queue order.
    var index = this.db.transaction("entries").objectStore("entries").index("owner");
    return promised(index.getAll(IDBKeyRange.only(this.owner))).then(function (entries) {
      return entries.sort(function (a, b) { return a.seq - b.seq; });
    });
  };

  Store.prototype.photos = function () {
    // This account's photos for this workshop, those waiting and those set aside.
    var index = this.db.transaction("photos").objectStore("photos").index("owner");
    return promised(index.getAll(IDBKeyRange.only(this.owner)));
  };

  Store.prototype.photosOf = function (entry) {
    var keys = entry.photos || [];
    var index = this.db.transaction("photos").objectStore("photos").index("entry");
    return promised(index.getAll(IDBKeyRange.only(entry.client_key))).then(function (photos) {
      return photos.sort(function (a, b) { return keys.indexOf(a.key) - keys.indexOf(b.key); });
    });
  };

  Store.prototype.save = function (entry, newPhotos, droppedKeys) {
    // The entry (new or corrected in place), the photos added to it and those taken off it, in one go.
    var owner = this.owner;
    var transaction = this.db.transaction(["entries", "photos"], "readwrite");
    entry.account = owner[0];
    entry.workshop = owner[1];
    transaction.objectStore("entries").put(entry);
    (newPhotos || []).forEach(function (photo) {
      photo.entry = entry.client_key;
      photo.account = owner[0];
      photo.workshop = owner[1];
      transaction.objectStore("photos").put(photo);
    });
    (droppedKeys || []).forEach(function (key) { transaction.objectStore("photos").delete(key); });
    return done(transaction);
  };

  Store.prototype.update = function (key, change) {
    // Read, change and write back one entry (if it is still there).
    var transaction = this.db.transaction("entries", "readwrite");
    var entries = transaction.objectStore("entries");
    promised(entries.get(key)).then(function (entry) {
      if (entry) {
        change(entry);
        entries.put(entry);
      }
    });
    return done(transaction);
  };

  Store.prototype.updatePhoto = function (key, change) {
    var transaction = this.db.transaction("photos", "readwrite");
    var photos = transaction.objectStore("photos");
    promised(photos.get(key)).then(function (photo) {
      if (photo) {
        change(photo);
        photos.put(photo);
      }
    });
    return done(transaction);
  };

  Store.prototype.remove = function (entry, keepSetAside) {
    // The entry and its photos; those the server refused stay listed when keepSetAside says so.
    var transaction = this.db.transaction(["entries", "photos"], "readwrite");
    transaction.objectStore("entries").delete(entry.client_key);
    var photos = transaction.objectStore("photos");
    promised(photos.index("entry").getAll(IDBKeyRange.only(entry.client_key))).then(function (found) {
      found.forEach(function (photo) {
        if (!(keepSetAside && photo.blocked)) { photos.delete(photo.key); }
      });
    });
    return done(transaction);
  };

  Store.prototype.removePhoto = function (key) {
    var transaction = this.db.transaction("photos", "readwrite");
    transaction.objectStore("photos").delete(key);
    return done(transaction);
  };

  Store.prototype.moveOldQueue = function (oldKey, nextSeq, newKey) {
    // The queue of the previous version (localStorage, one list per workshop) becomes this account's entries,
    // in its order, then its key is removed: a deploy loses nothing that waited.
    var self = this;
    var old;
    try {
      old = JSON.parse(window.localStorage.getItem(oldKey) || "[]");
    } catch (error) {
      return Promise.resolve();
    }
    if (!Array.isArray(old) || old.length === 0) { return Promise.resolve(); }
    return old.reduce(function (previous, item) {
      return previous.then(function () {
        var fields = {};
        Object.keys(item).forEach(function (name) {
          if (["client_key", "blocked", "csrf_token"].indexOf(name) === -1) { fields[name] = item[name]; }
        });
        var entry = { client_key: item.client_key || newKey(), seq: nextSeq(), captured_at: Date.now(),
                      fields: fields, photos: [] };
        if (item.blocked) { entry.blocked = item.blocked; }
        return self.save(entry, [], []);
      });
    }, Promise.resolve()).then(function () { window.localStorage.removeItem(oldKey); });
  };

  window.HubCaptureStore = {
    open: function (account, workshop) {
      return open().then(function (db) { return new Store(db, account, workshop); });
    }
  };
}());
