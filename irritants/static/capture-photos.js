/* Photos made smaller on the tablet before they are stored or sent.
 *
 * Each image is decoded (createImageBitmap, turned upright from its EXIF orientation, or an <img> where that is
 * missing), drawn on a canvas whose longest side is at most 1600 px, and encoded again as JPEG (quality 0.85).
 * Going through a canvas keeps only the pixels: the EXIF data, and so the GPS position, never leaves the tablet.
 * The thumbnail is a small data: URL (the site's CSP allows data: images, not blob: ones).
 * chooser() runs the form's file input: the photos chosen for the entry, listed as thumbnails, each removable.
 */
(function () {
  "use strict";

  var LONGEST_SIDE = 1600;
  var THUMBNAIL_SIDE = 160;
  var QUALITY = 0.85;
  var MAX_PER_ENTRY = 12;
  var MAX_BYTES = 20 * 1024 * 1024;

  function loadImage(file) {
    // For browsers without createImageBitmap: an <img> over a data: URL (allowed by the CSP).
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var image = new Image();
        image.onload = function () { resolve({ source: image, width: image.naturalWidth, height: image.naturalHeight }); };
        image.onerror = function () { reject(new Error("image illisible")); };
        image.src = reader.result;
      };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    });
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        return { source: bitmap, width: bitmap.width, height: bitmap.height, close: function () { bitmap.close(); } };
      }, function () { return loadImage(file); });
    }
    return loadImage(file);
  }

  function draw(image, side) {
    var scale = Math.min(1, side / Math.max(image.width, image.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not on black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image.source, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function shrink(file) {
    // Resolves with { blob, thumbnail }; rejects when the file cannot be read as an image.
    return decode(file).then(function (image) {
      var big = draw(image, LONGEST_SIDE);
      var thumbnail = draw(image, THUMBNAIL_SIDE).toDataURL("image/jpeg", 0.7);
      if (image.close) { image.close(); }
      return new Promise(function (resolve, reject) {
        big.toBlob(function (blob) {
          if (blob) { resolve({ blob: blob, thumbnail: thumbnail }); } else { reject(new Error("encodage impossible")); }
        }, "image/jpeg", QUALITY);
      });
    });
  }


  function fill(node, name, replacements) {
    var value = node.getAttribute(name) || "";
    Object.keys(replacements).forEach(function (token) { value = value.split(token).join(replacements[token]); });
    return value;
  }

  function jpegName(name) {
    return (name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
  }

  function chooser(input, errorNode, listNode, newKey) {
    // The photos of the entry in the form: at most 12, each original at most 20 MB, each made smaller at once
    // (its thumbnail shown, with its name as alt text), each with the key it will be sent under.
    var chosen = [];  // { key, name, label, thumbnail, ready (a promise of { blob, thumbnail } or null), stored }
    var dropped = []; // keys of stored photos taken off the entry being corrected

    function show() {
      listNode.textContent = "";
      chosen.forEach(function (photo, index) {
        var item = document.createElement("li");
        var label = fill(listNode, "data-alt", { "__N__": String(index + 1), "__NAME__": photo.label || photo.name });
        if (photo.thumbnail) {
          var image = document.createElement("img");
          image.src = photo.thumbnail;
          image.alt = label;
          item.appendChild(image);
        } else {
          var name = document.createElement("span");
          name.className = "capture-thumbnail-wait";
          name.textContent = label;
          item.appendChild(name);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary";
        remove.textContent = listNode.getAttribute("data-remove");
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " — " + label;
        remove.appendChild(hidden);
        remove.addEventListener("click", function () {
          if (photo.stored) { dropped.push(photo.key); }
          chosen = chosen.filter(function (other) { return other !== photo; });
          show();
          input.focus();
        });
        item.appendChild(remove);
        listNode.appendChild(item);
      });
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      var messages = [];
      var tooMany = false;
      input.value = ""; // the list below is what the entry takes; choosing again adds more
      files.forEach(function (file) {
        if (chosen.length >= MAX_PER_ENTRY) { tooMany = true; return; }
        if (file.size > MAX_BYTES) {
          messages.push(fill(errorNode, "data-too-large", { "__NAME__": file.name }));
          return;
        }
        var photo = { key: newKey(), name: jpegName(file.name), label: file.name, thumbnail: null, stored: false };
        photo.ready = shrink(file).then(function (made) {
          photo.thumbnail = made.thumbnail;
          show();
          return made;
        }, function () {
          chosen = chosen.filter(function (other) { return other !== photo; });
          errorNode.textContent = fill(errorNode, "data-unreadable", { "__NAME__": file.name });
          show();
          return null;
        });
        chosen.push(photo);
      });
      if (tooMany) { messages.push(errorNode.getAttribute("data-too-many")); }
      errorNode.textContent = messages.join(" ");
      show();
    });

    return {
      photos: function () { return chosen.slice(); },
      dropped: function () { return dropped.slice(); },
      reset: function () {
        chosen = [];
        dropped = [];
        errorNode.textContent = "";
        show();
      },
      load: function (stored) {
        // The photos of an entry being corrected, as stored on the tablet.
        chosen = stored.map(function (photo) {
          return { key: photo.key, name: photo.name, label: photo.label, thumbnail: photo.thumbnail, stored: true };
        });
        show();
      }
    };
  }

  window.HubCapturePhotos = { shrink: shrink, chooser: chooser };
}());
