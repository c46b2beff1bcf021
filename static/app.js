// Lectern's pages, enhanced. The reading view: layer switches from the keyboard with their state in the URL,
// explanations on hover and focus, keyboard navigation announced to screen readers, the source ledger, sentence
// links, the colour scheme, the share dialog, and a live reload (keeping the reader's sentence) when the document
// changes on the server. The library: files dropped on the page, and a live list. Plain script, no framework, no
// build step; it fetches only Lectern's own API. Every page works without it: the server renders the layers, the
// legend's checkboxes switch them through CSS, titles explain each highlight, and every form posts by itself.
//
// Nothing here names a layer, an action's key or a CSS class of the annotations: the page says them
// (data-layer-toggle and data-key on the legend's checkboxes, data-shortcut and data-key in the shortcuts dialog,
// data-note on each highlight), so the server's `Layer` and `Action` enums stay the only definitions.
(function () {
  'use strict';

  var root = document.documentElement;
  var THEME_KEY = 'lectern-theme';
  var THEMES = ['system', 'dark', 'light'];

  // Run before the page is painted: the reader's colour scheme, and the class that reveals script-only controls.
  root.classList.add('js');
  applyTheme(storedTheme());

  function storedTheme() {
    try {
      var t = window.localStorage.getItem(THEME_KEY);
      return THEMES.indexOf(t) >= 0 ? t : 'system';
    } catch (e) {
      return 'system';
    }
  }

  function applyTheme(theme) {
    if (theme === 'system') {
      root.removeAttribute('data-theme');
    } else {
      root.setAttribute('data-theme', theme);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    forgetNotice();
    localTimes();
    new Reader().start();
    startLibrary();
  });

  // ---- Times, live updates, the library ------------------------------------------------------------------------

  // A notice named in the address (`?notice=deleted`) is for this visit: drop it from the address, so that a reload
  // or a shared link does not say it again.
  function forgetNotice() {
    var url = new URL(window.location.href);
    if (url.searchParams.has('notice')) {
      url.searchParams.delete('notice');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
  }

  // Times are rendered in UTC; show them in the reader's own time zone, keeping UTC in the tooltip.
  function localTimes() {
    document.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) {
        return;
      }
      t.title = t.textContent;
      // A date without a time stays a date: a time of day would be made up.
      var dateOnly = t.getAttribute('datetime').indexOf('T') < 0;
      t.textContent = dateOnly ?
        d.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }) :
        d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    });
  }

  // Listen to one of Lectern's event streams. `handlers` maps event names to functions of the parsed data; the
  // stream reconnects by itself, and `ready` says each (re)connection.
  function listen(url, handlers) {
    if (!url || !window.EventSource) {
      return null;
    }
    var source = new EventSource(url);
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (e) {
        var data = {};
        try {
          data = JSON.parse(e.data);
        } catch (err) {
          data = {};
        }
        handlers[name](data);
      });
    });
    return source;
  }

  // Set once a form of the page is being sent or the page is being left: a live reload then would cancel that.
  var leaving = false;
  document.addEventListener('submit', function (e) {
    if (!e.defaultPrevented) {
      leaving = true;
    }
  });
  window.addEventListener('pagehide', function () { leaving = true; });
  window.addEventListener('pageshow', function () { leaving = false; });

  // Reload the page, unless it is being left already.
  function reload() {
    if (!leaving) {
      window.location.reload();
    }
  }

  // Whether the reader is in the middle of something a reload would lose: text typed into a field.
  function busy() {
    var fields = document.querySelectorAll('input[type=text], input[type=search], textarea');
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) {
        return true;
      }
    }
    var files = document.querySelectorAll('input[type=file]');
    for (var j = 0; j < files.length; j++) {
      if (files[j].files && files[j].files.length > 0) {
        return true;
      }
    }
    return false;
  }

  function startLibrary() {
    var library = document.querySelector('.library');
    if (!library) {
      return;
    }
    // Files dropped anywhere on the page go to the upload form's file input, and the form is sent.
    var target = document.querySelector('[data-drop-target]');
    var input = target ? document.getElementById(target.getAttribute('data-drop-target')) : null;
    if (input) {
      var depth = 0;
      var over = function (on) { target.classList.toggle('is-over', on); };
      library.addEventListener('dragenter', function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0) {
          depth += 1;
          over(true);
        }
      });
      library.addEventListener('dragleave', function () {
        depth = Math.max(0, depth - 1);
        if (depth === 0) {
          over(false);
        }
      });
      library.addEventListener('dragover', function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      });
      library.addEventListener('drop', function (e) {
        if (!e.dataTransfer || e.dataTransfer.files.length === 0) {
          return;
        }
        e.preventDefault();
        depth = 0;
        over(false);
        input.files = e.dataTransfer.files;
        say(document.getElementById('library-live'), 'Adding ' + e.dataTransfer.files.length +
          (e.dataTransfer.files.length === 1 ? ' file…' : ' files…'));
        input.form.requestSubmit();
      });
    }
    // The list follows the library: reload when a document is added, changed or deleted, unless the reader is
    // typing or choosing files, in which case say so and let them reload.
    var first = true;
    var changed = function () {
      if (busy()) {
        showNotice(document.getElementById('library-changed'), 'The library changed. Reload the page to see it.');
        say(document.getElementById('library-live'), 'The library changed.');
      } else {
        reload();
      }
    };
    listen(library.getAttribute('data-events'), {
      ready: function () {
        if (!first) {
          changed();
        }
        first = false;
      },
      added: changed,
      updated: changed,
      deleted: changed,
      progress: changed,
      annotated: changed,
      resync: changed
    });
  }

  function showNotice(el, text) {
    if (el) {
      el.textContent = text;
      el.hidden = false;
    }
  }

  function say(live, text) {
    if (live) {
      live.textContent = '';
      window.requestAnimationFrame(function () { live.textContent = text; });
    }
  }

  // Where the reader is in the text: the first sentence whose top is in view, and how far from the top it is.
  var PLACE_KEY = 'lectern-place:';

  function readingPlace() {
    var sentences = document.querySelectorAll('.doc-text .sentence');
    for (var i = 0; i < sentences.length; i++) {
      var r = sentences[i].getBoundingClientRect();
      if (r.bottom > 0) {
        return { id: sentences[i].id, index: i, top: r.top };
      }
    }
    return null;
  }

  function savePlace(revision, message) {
    var place = readingPlace();
    try {
      window.sessionStorage.setItem(PLACE_KEY + window.location.pathname, JSON.stringify({
        place: place, revision: revision, at: Date.now(), current: document.activeElement && document.activeElement.id,
        message: message || null
      }));
    } catch (e) {
      // Without storage the page reloads at its top.
    }
  }

  // After a live reload: put the sentence the reader was at back where it was, and say what happened.
  function restorePlace() {
    var saved = null;
    try {
      var key = PLACE_KEY + window.location.pathname;
      saved = JSON.parse(window.sessionStorage.getItem(key) || 'null');
      window.sessionStorage.removeItem(key);
    } catch (e) {
      saved = null;
    }
    if (!saved || Date.now() - saved.at > 30000) {
      return false;
    }
    var place = saved.place;
    if (place) {
      var el = document.getElementById(place.id);
      if (!el) {
        var all = document.querySelectorAll('.doc-text .sentence');
        el = all[Math.min(place.index, all.length - 1)] || null;
      }
      if (el) {
        window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - place.top);
      }
    }
    showNotice(document.getElementById('updated'), saved.message ||
      ('The document changed and this page now shows its new version (revision ' + saved.revision + ').'));
    return true;
  }

  function Reader() {
    this.text = document.querySelector('.doc-text');
    this.why = document.getElementById('why');
    this.live = document.getElementById('announce');
    this.help = document.getElementById('help');
    this.toggles = Array.prototype.slice.call(document.querySelectorAll('input[data-layer-toggle]'));
    this.keys = new Map();
    this.currentMark = null;
    this.currentSentence = null;
    this.speaker = null;
    this.speakerStep = -1;
    this.hiddenBeforeAll = null;
    this.hideTimer = 0;
    this.narrow = window.matchMedia('(max-width: 40rem)');
  }

  Reader.prototype.start = function () {
    var self = this;
    document.querySelectorAll('[data-shortcut][data-key]').forEach(function (row) {
      self.keys.set(row.getAttribute('data-key'), row.getAttribute('data-shortcut'));
    });
    if (!this.help) {
      document.querySelectorAll('[data-action="help"]').forEach(function (b) { b.hidden = true; });
    }
    this.showTheme();
    document.addEventListener('click', function (e) { self.onClick(e); });
    document.addEventListener('keydown', function (e) { self.onKey(e); });
    this.startShare();
    if (!this.text) {
      return;
    }

    // Native tooltips would cover the explanations: keep each title as data, and describe marks by their note.
    // A mark cut into pieces carries its title on the first piece only; every piece is described by the note.
    this.text.querySelectorAll('[title]').forEach(function (el) {
      el.setAttribute('data-title', el.getAttribute('title'));
      el.removeAttribute('title');
    });
    this.text.querySelectorAll('[data-note]').forEach(function (el) {
      el.setAttribute('aria-describedby', el.getAttribute('data-note'));
    });
    document.querySelectorAll('.speaker[data-targets]').forEach(function (b) {
      if (b.getAttribute('data-targets').trim() !== '') {
        b.disabled = false;
      }
    });
    this.toggles.forEach(function (t) {
      t.addEventListener('change', function () { self.layersChanged(t); });
    });
    this.showAllLayersButton();

    this.text.addEventListener('mouseover', function (e) { self.onHover(e); });
    this.text.addEventListener('mouseout', function (e) { self.onLeave(e); });
    this.text.addEventListener('focusin', function (e) {
      var mark = self.shownMark(e.target);
      if (mark) {
        self.explain(mark);
      }
    });
    this.text.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !self.why.contains(e.relatedTarget)) {
        self.unexplainSoon();
      }
    });
    this.why.addEventListener('mouseenter', function () { window.clearTimeout(self.hideTimer); });
    this.why.addEventListener('mouseleave', function () { self.unexplainSoon(); });
    window.addEventListener('hashchange', function () { self.openHash(); });
    window.addEventListener('resize', function () {
      if (!self.why.hidden && self.currentMark) {
        self.place(self.currentMark);
      }
    });
    if (!restorePlace()) {
      this.openHash();
    }
    this.startReview();
    this.follow();
  };

  // Reload in place when the document changes on the server (a watched file was saved), keeping the reader's
  // sentence where it was on the screen.
  Reader.prototype.follow = function () {
    var reader = document.querySelector('.reader[data-events]');
    if (!reader) {
      return;
    }
    var revision = parseInt(reader.getAttribute('data-revision'), 10) || 0;
    var self = this;
    var newer = function (data) {
      if (data && data.revision > revision && !leaving) {
        savePlace(data.revision);
        reload();
      }
    };
    listen(reader.getAttribute('data-events'), {
      ready: newer,
      updated: newer,
      note: function () {
        if (self.review) {
          self.loadNotes();
        }
      },
      corrected: function () {
        if (self.review && !leaving) {
          self.reloadReviewed();
        }
      },
      annotating: function (data) {
        var bar = document.getElementById('refining-progress');
        if (bar && data && data.total > 0) {
          bar.value = Math.min(100, Math.round(100 * data.done / data.total));
        }
      },
      annotated: function () {
        if (leaving) {
          return;
        }
        var message = 'The learned model has refined this annotation; the page now shows what it and the rules found.';
        if (self.review) {
          self.reloadReviewed(message);
        } else {
          savePlace(revision, message);
          reload();
        }
      },
      deleted: function () {
        showNotice(document.getElementById('updated'), 'This document was deleted from the library. The page ' +
          'stays open until you leave it.');
        self.announce('This document was deleted from the library.');
      }
    });
  };

  // ---- Sharing ------------------------------------------------------------------------------------------------

  Reader.prototype.startShare = function () {
    var self = this;
    this.share = document.getElementById('share');
    var form = document.getElementById('share-form');
    if (!this.share || !form) {
      return;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      self.makeShare(form);
    });
    this.share.addEventListener('close', function () { self.resetShare(); });
  };

  Reader.prototype.openShare = function () {
    if (!this.share) {
      return false;
    }
    this.resetShare();
    this.share.showModal();
    var label = document.getElementById('share-dialog-label');
    if (label) {
      label.focus();
    }
    return true;
  };

  Reader.prototype.resetShare = function () {
    var form = document.getElementById('share-form');
    var created = document.getElementById('share-created');
    var error = document.getElementById('share-error');
    if (form) {
      form.hidden = false;
      form.reset();
    }
    if (created) {
      created.hidden = true;
    }
    if (error) {
      error.hidden = true;
    }
  };

  // Make the link through the API and show it with its QR code, drawn from the geometry the server computed.
  Reader.prototype.makeShare = function (form) {
    var self = this;
    var data = new FormData(form);
    var body = JSON.stringify({ document: data.get('document') || null, label: data.get('label') || '' });
    var error = document.getElementById('share-error');
    window.fetch('/api/shares', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body, credentials: 'same-origin'
    }).then(function (resp) {
      return resp.json().then(function (json) { return { ok: resp.ok, json: json }; });
    }).then(function (r) {
      if (!r.ok) {
        throw new Error(r.json.error || 'The link could not be made.');
      }
      document.getElementById('share-dialog-url').value = r.json.url;
      var svg = document.getElementById('share-qr');
      if (r.json.qr) {
        var size = String(r.json.qr.size);
        svg.setAttribute('viewBox', '0 0 ' + size + ' ' + size);
        svg.querySelector('rect').setAttribute('width', size);
        svg.querySelector('rect').setAttribute('height', size);
        svg.querySelector('path').setAttribute('d', r.json.qr.path);
      }
      form.hidden = true;
      document.getElementById('share-created').hidden = false;
      var url = document.getElementById('share-dialog-url');
      url.focus();
      url.select();
      self.announce('Share link made. Copy it now: it cannot be shown again.');
    }).catch(function (err) {
      error.textContent = err.message;
      error.hidden = false;
    });
  };

  Reader.prototype.copyShare = function (button) {
    var self = this;
    var input = document.getElementById(button.getAttribute('data-copy'));
    if (!input) {
      return;
    }
    input.select();
    var done = function () {
      button.textContent = 'Copied';
      self.announce('Link copied.');
    };
    var failed = function () {
      self.announce('Could not copy: the link is selected, copy it with the keyboard.');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, failed);
    } else {
      failed();
    }
  };

  // ---- Layers -------------------------------------------------------------------------------------------------

  Reader.prototype.toggleFor = function (name) {
    for (var i = 0; i < this.toggles.length; i++) {
      if (this.toggles[i].getAttribute('data-layer-toggle') === name) {
        return this.toggles[i];
      }
    }
    return null;
  };

  Reader.prototype.shown = function (name) {
    var t = this.toggleFor(name);
    return !t || t.checked;
  };

  Reader.prototype.hiddenLayers = function () {
    return this.toggles.filter(function (t) { return !t.checked; }).map(function (t) {
      return t.getAttribute('data-layer-toggle');
    });
  };

  Reader.prototype.layerName = function (toggle) {
    var label = document.querySelector('label[for="' + toggle.id + '"] .sample');
    return label ? label.textContent : toggle.getAttribute('data-layer-toggle');
  };

  // After a switch changed: the URL, the hide-all button, the current highlight, and a word to screen readers.
  Reader.prototype.layersChanged = function (toggle) {
    var hidden = this.hiddenLayers();
    var quiet = this.toggles.filter(function (t) { return t.hasAttribute('data-quiet'); }).map(function (t) {
      return t.getAttribute('data-layer-toggle');
    });
    var url = new URL(window.location.href);
    // The address names the hidden layers unless they are the ones a page opens with (`?hide=` hides none).
    if (hidden.join(',') === quiet.join(',')) {
      url.searchParams.delete('hide');
    } else {
      url.searchParams.set('hide', hidden.join(','));
    }
    var search = url.search.replace(/%2C/gi, ',');
    window.history.replaceState(window.history.state, '', url.pathname + search + url.hash);
    this.showAllLayersButton();
    if (this.currentMark && !this.shown(this.currentMark.getAttribute('data-layer'))) {
      this.setCurrentMark(null);
      this.unexplain();
    }
    if (toggle) {
      this.announce(this.layerName(toggle) + (toggle.checked ? ' shown.' : ' hidden.'));
    }
  };

  Reader.prototype.toggleLayer = function (toggle) {
    toggle.checked = !toggle.checked;
    this.layersChanged(toggle);
  };

  Reader.prototype.toggleAll = function () {
    var anyShown = this.toggles.some(function (t) { return t.checked; });
    if (anyShown) {
      this.hiddenBeforeAll = this.hiddenLayers();
      this.toggles.forEach(function (t) { t.checked = false; });
    } else {
      var keep = this.hiddenBeforeAll || [];
      var everything = keep.length === this.toggles.length;
      this.toggles.forEach(function (t) {
        t.checked = everything || keep.indexOf(t.getAttribute('data-layer-toggle')) < 0;
      });
      this.hiddenBeforeAll = null;
    }
    this.layersChanged(null);
    this.announce(anyShown ? 'All highlights hidden.' : 'Highlights shown again.');
  };

  Reader.prototype.showAllLayersButton = function () {
    var anyShown = this.toggles.some(function (t) { return t.checked; });
    document.querySelectorAll('button[data-action="all-layers"]').forEach(function (b) {
      b.textContent = anyShown ? 'Hide all highlights' : 'Show highlights again';
    });
  };

  // ---- Explanations -------------------------------------------------------------------------------------------

  // The innermost highlight at `el` whose layer is shown.
  Reader.prototype.shownMark = function (el) {
    var mark = el && el.closest ? el.closest('mark[data-note]') : null;
    while (mark && this.text.contains(mark)) {
      if (this.shown(mark.getAttribute('data-layer'))) {
        return mark;
      }
      mark = mark.parentElement ? mark.parentElement.closest('mark[data-note]') : null;
    }
    return null;
  };

  Reader.prototype.onHover = function (e) {
    var mark = this.shownMark(e.target);
    if (mark) {
      window.clearTimeout(this.hideTimer);
      this.explain(mark);
    }
  };

  Reader.prototype.onLeave = function (e) {
    var to = e.relatedTarget;
    if (to && (this.why.contains(to) || this.shownMark(to))) {
      return;
    }
    if (document.activeElement && this.shownMark(document.activeElement)) {
      this.explain(document.activeElement.closest('mark[data-note]'));
      return;
    }
    this.unexplainSoon();
  };

  // Show why `mark` is highlighted, beside it, with the other parts of its annotation outlined.
  Reader.prototype.explain = function (mark) {
    var note = document.getElementById(mark.getAttribute('data-note'));
    if (!note) {
      return;
    }
    window.clearTimeout(this.hideTimer);
    var copy = note.cloneNode(true);
    copy.removeAttribute('id');
    this.why.replaceChildren(copy);
    var tools = this.explainTools(mark);
    if (tools) {
      this.why.appendChild(tools);
    }
    this.why.hidden = false;
    this.relate(mark.getAttribute('data-note'));
    this.place(mark);
  };

  Reader.prototype.message = function (anchor, text) {
    var p = document.createElement('p');
    p.textContent = text;
    this.why.replaceChildren(p);
    this.why.hidden = false;
    this.relate(null);
    this.place(anchor);
    this.unexplainSoon(2500);
  };

  Reader.prototype.place = function (anchor) {
    var why = this.why;
    if (this.narrow.matches) {
      why.style.left = '';
      why.style.top = '';
      return;
    }
    // Everything it explains (for an attribution: source, cue and content): the explanation goes below it (or
    // above, where there is no room), so it never covers what it explains.
    var pieces = [anchor];
    var note = anchor.getAttribute('data-note');
    if (note) {
      pieces = Array.prototype.slice.call(this.text.querySelectorAll('mark[data-note="' + note + '"]'));
    }
    var first = anchor.getClientRects()[0] || anchor.getBoundingClientRect();
    var topEdge = first.top;
    var bottomEdge = first.bottom;
    pieces.forEach(function (p) {
      var r = p.getBoundingClientRect();
      topEdge = Math.min(topEdge, r.top);
      bottomEdge = Math.max(bottomEdge, r.bottom);
    });
    var width = why.offsetWidth;
    var height = why.offsetHeight;
    var viewWidth = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(first.left, viewWidth - width - 8));
    var top = bottomEdge + 8;
    if (top + height > window.innerHeight - 8 && topEdge - height - 8 > 0) {
      top = topEdge - height - 8;
    }
    why.style.left = Math.round(left + window.scrollX) + 'px';
    why.style.top = Math.round(top + window.scrollY) + 'px';
  };

  // Outline the parts of the explained annotation. A part cut into pieces (around a nested highlight) gets one
  // outline: its first and last pieces close it at the sides.
  Reader.prototype.relate = function (note) {
    this.text.querySelectorAll('.is-related').forEach(function (m) {
      m.classList.remove('is-related', 'is-related-first', 'is-related-last');
    });
    if (!note) {
      return;
    }
    var parts = new Map();
    this.text.querySelectorAll('mark[data-note="' + note + '"]').forEach(function (m) {
      m.classList.add('is-related');
      var ann = m.getAttribute('data-ann');
      parts.set(ann, (parts.get(ann) || []).concat([m]));
    });
    parts.forEach(function (pieces) {
      pieces[0].classList.add('is-related-first');
      pieces[pieces.length - 1].classList.add('is-related-last');
    });
  };

  Reader.prototype.unexplain = function () {
    window.clearTimeout(this.hideTimer);
    this.why.hidden = true;
    this.why.replaceChildren();
    this.relate(null);
  };

  Reader.prototype.unexplainSoon = function (delay) {
    var self = this;
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(function () {
      var active = document.activeElement;
      if (delay === undefined && active && self.shownMark(active)) {
        self.explain(active.closest('mark[data-note]'));
        return;
      }
      self.unexplain();
    }, delay === undefined ? 250 : delay);
  };

  // ---- Navigation ---------------------------------------------------------------------------------------------

  // The first piece of each annotation in a shown layer, in reading order.
  Reader.prototype.highlights = function () {
    var self = this;
    var seen = new Set();
    var out = [];
    this.text.querySelectorAll('mark[data-ann]').forEach(function (m) {
      var id = m.getAttribute('data-ann');
      if (!seen.has(id) && self.shown(m.getAttribute('data-layer'))) {
        seen.add(id);
        out.push(m);
      }
    });
    return out;
  };

  Reader.prototype.sentences = function () {
    return Array.prototype.slice.call(this.text.querySelectorAll('.sentence'));
  };

  // Where the reader is: the current highlight, the focused element in the text, or the current sentence.
  Reader.prototype.position = function () {
    var active = document.activeElement;
    if (active && active !== document.body && this.text.contains(active)) {
      return active;
    }
    return this.currentMark || this.currentSentence;
  };

  Reader.prototype.stepMark = function (direction) {
    var list = this.highlights();
    if (list.length === 0) {
      this.announce('No highlights are shown. Press a number key to show a layer.');
      return;
    }
    var at = this.position();
    var next;
    if (!at) {
      next = direction > 0 ? list[0] : list[list.length - 1];
    } else if (direction > 0) {
      next = list.find(function (m) {
        return m !== at && (at.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      });
    } else {
      next = list.slice().reverse().find(function (m) {
        return m !== at && (at.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
      });
    }
    if (!next) {
      this.announce(direction > 0 ? 'That was the last highlight.' : 'That was the first highlight.');
      return;
    }
    this.setCurrentMark(next);
    this.setCurrentSentence(next.closest('.sentence'), false);
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: 'center', inline: 'nearest' });
    this.explain(next);
    var note = document.getElementById(next.getAttribute('data-note'));
    var head = note ? note.querySelector('.note-head') : null;
    this.announce('Highlight ' + (list.indexOf(next) + 1) + ' of ' + list.length + ': ' + this.annotationText(next) +
      '. ' + (head ? head.textContent.replace(/\s+/g, ' ').trim() : ''));
  };

  // The whole text of an annotation, joined from its pieces.
  Reader.prototype.annotationText = function (mark) {
    var id = mark.getAttribute('data-ann');
    var parts = [];
    this.text.querySelectorAll('mark[data-ann="' + id + '"]').forEach(function (m) {
      if (!m.parentElement || m.parentElement.closest('mark[data-ann="' + id + '"]') === null) {
        parts.push(m.textContent);
      }
    });
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  };

  Reader.prototype.setCurrentMark = function (mark) {
    this.text.querySelectorAll('mark.is-current').forEach(function (m) { m.classList.remove('is-current'); });
    this.currentMark = mark;
    if (mark) {
      var id = mark.getAttribute('data-ann');
      this.text.querySelectorAll('mark[data-ann="' + id + '"]').forEach(function (m) {
        m.classList.add('is-current');
      });
    }
  };

  // The sentence the reader is in; `shown` highlights it (when moving by sentence, not by highlight, so that a
  // current highlight stands out against its sentence).
  Reader.prototype.setCurrentSentence = function (sentence, shown) {
    if (this.currentSentence && (this.currentSentence !== sentence || !shown)) {
      this.currentSentence.classList.remove('is-current');
    }
    this.currentSentence = sentence;
    if (sentence && shown) {
      sentence.classList.add('is-current');
    }
  };

  Reader.prototype.stepSentence = function (direction) {
    var list = this.sentences();
    if (list.length === 0) {
      return;
    }
    var at = this.position();
    var here = at ? (at.closest ? at.closest('.sentence') : null) : null;
    var i = here ? list.indexOf(here) : -1;
    var next;
    if (i < 0) {
      next = direction > 0 ? list[0] : list[list.length - 1];
    } else {
      next = list[i + direction];
    }
    if (!next) {
      this.announce(direction > 0 ? 'That was the last sentence.' : 'That was the first sentence.');
      return;
    }
    this.goToSentence(next, true);
  };

  // Focus a sentence, scroll it into view, make the address a link to it, and say where the reader is.
  Reader.prototype.goToSentence = function (sentence, updateAddress) {
    this.setCurrentMark(null);
    this.unexplain();
    this.setCurrentSentence(sentence, true);
    sentence.focus({ preventScroll: true });
    sentence.scrollIntoView({ block: 'center', inline: 'nearest' });
    if (updateAddress) {
      window.history.replaceState(window.history.state, '', '#' + sentence.id);
    }
    var total = this.sentences().length;
    this.announce('Sentence ' + sentence.getAttribute('data-number') + ' of ' + total + '. ' +
      (sentence.getAttribute('data-title') || ''));
  };

  Reader.prototype.openHash = function () {
    var id = '';
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return;
    }
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList.contains('sentence') && this.text.contains(target)) {
      this.goToSentence(target, false);
    }
  };

  Reader.prototype.focusLedger = function () {
    var ledger = document.getElementById('ledger');
    if (!ledger) {
      return;
    }
    var first = ledger.querySelector('button.speaker:not(:disabled)') || ledger;
    ledger.scrollIntoView({ block: 'nearest' });
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: 'nearest' });
    var n = ledger.querySelectorAll('.sources > li').length;
    this.announce('Source ledger, ' + n + (n === 1 ? ' speaker.' : ' speakers.') +
      ' Select a speaker to step through their sentences.');
  };

  // ---- The ledger ---------------------------------------------------------------------------------------------

  // First select: highlight the speaker's sentences and go to the first; each further select goes to the next.
  Reader.prototype.selectSpeaker = function (button) {
    var ids = button.getAttribute('data-targets').split(/\s+/).filter(Boolean);
    var sentences = ids.map(function (id) { return document.getElementById(id); }).filter(Boolean);
    if (sentences.length === 0) {
      return;
    }
    if (this.speaker !== button) {
      this.clearSpeaker();
      this.speaker = button;
      this.speakerStep = 0;
      button.setAttribute('aria-pressed', 'true');
      sentences.forEach(function (s) { s.classList.add('is-speaker'); });
    } else {
      this.speakerStep = (this.speakerStep + 1) % sentences.length;
    }
    var sentence = sentences[this.speakerStep];
    this.setCurrentMark(null);
    this.unexplain();
    this.setCurrentSentence(sentence, true);
    sentence.scrollIntoView({ block: 'center', inline: 'nearest' });
    window.history.replaceState(window.history.state, '', '#' + sentence.id);
    var name = button.textContent.replace(/\s+/g, ' ').trim();
    this.announce(name + ': sentence ' + (this.speakerStep + 1) + ' of ' + sentences.length +
      ' (sentence ' + sentence.getAttribute('data-number') + ' of the text).');
  };

  Reader.prototype.clearSpeaker = function () {
    if (this.speaker) {
      this.speaker.setAttribute('aria-pressed', 'false');
    }
    this.speaker = null;
    this.speakerStep = -1;
    if (this.text) {
      this.text.querySelectorAll('.is-speaker').forEach(function (s) { s.classList.remove('is-speaker'); });
    }
  };

  // ---- Links, colours, help -----------------------------------------------------------------------------------

  Reader.prototype.copyLink = function (from) {
    var sentence = null;
    if (from && from.getAttribute && from.getAttribute('href')) {
      sentence = document.getElementById(from.getAttribute('href').slice(1));
    } else {
      var at = this.position();
      sentence = at && at.closest ? at.closest('.sentence') : null;
    }
    if (!sentence) {
      this.announce('Go to a sentence first (n or p), then copy its link.');
      return;
    }
    var self = this;
    this.goToSentence(sentence, true);
    var url = window.location.origin + window.location.pathname + window.location.search + '#' + sentence.id;
    var number = sentence.getAttribute('data-number');
    var done = function () {
      self.message(sentence, 'Link to sentence ' + number + ' copied.');
      self.announce('Link to sentence ' + number + ' copied.');
    };
    var failed = function () {
      self.message(sentence, 'The address bar now links to sentence ' + number + '.');
      self.announce('Could not copy. The address bar now links to sentence ' + number + '.');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else {
      failed();
    }
  };

  Reader.prototype.cycleTheme = function () {
    var next = THEMES[(THEMES.indexOf(storedTheme()) + 1) % THEMES.length];
    try {
      window.localStorage.setItem(THEME_KEY, next);
    } catch (e) {
      // Storage can be switched off; the choice then lasts for this page only.
    }
    applyTheme(next);
    this.showTheme(next);
    this.announce('Colours: ' + next + '.');
  };

  Reader.prototype.showTheme = function (theme) {
    var t = theme || storedTheme();
    document.querySelectorAll('button[data-action="theme"]').forEach(function (b) {
      b.textContent = 'Colours: ' + t;
      b.setAttribute('aria-label', 'Colours: ' + t + '. Switch to ' +
        THEMES[(THEMES.indexOf(t) + 1) % THEMES.length] + '.');
    });
  };

  Reader.prototype.toggleHelp = function () {
    if (!this.help) {
      return;
    }
    if (this.help.open) {
      this.help.close();
    } else {
      this.help.showModal();
    }
  };

  Reader.prototype.close = function () {
    if (!this.why) {
      return false;
    }
    var had = !this.why.hidden || this.speaker !== null;
    this.unexplain();
    this.clearSpeaker();
    if (this.help && this.help.open) {
      this.help.close();
      had = true;
    }
    return had;
  };

  Reader.prototype.run = function (action, el) {
    switch (action) {
      case 'next-mark': this.text && this.stepMark(1); return true;
      case 'prev-mark': this.text && this.stepMark(-1); return true;
      case 'next-sentence': this.text && this.stepSentence(1); return true;
      case 'prev-sentence': this.text && this.stepSentence(-1); return true;
      case 'ledger': this.focusLedger(); return true;
      case 'copy-link': this.text && this.copyLink(el); return true;
      case 'note': return this.startNote(null, null);
      case 'all-layers': this.toggleAll(); return true;
      case 'theme': this.cycleTheme(); return true;
      case 'help': this.toggleHelp(); return true;
      case 'share': return this.openShare();
      case 'close-share': this.share && this.share.close(); return true;
      case 'copy-share': el && this.copyShare(el); return true;
      case 'close': return this.close();
      default: return false;
    }
  };

  // ---- Notes and corrections ----------------------------------------------------------------------------------
  //
  // Notes and corrections come from the API as JSON and are drawn here with textContent only: no note can become
  // markup. Offsets on the wire are characters (code points); a sentence says its first character (data-start), so
  // a passage is found again by walking the sentence's text nodes. Noted passages are lit with the CSS Custom
  // Highlight API, which changes no element of the text.

  function codePoints(text) {
    return Array.from(text).length;
  }

  // The DOM position `count` code points into `root`'s text.
  function pointAt(root, count) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node = walker.nextNode();
    var last = null;
    while (node) {
      var chars = Array.from(node.data);
      if (count <= chars.length) {
        return { node: node, offset: chars.slice(0, count).join('').length };
      }
      count -= chars.length;
      last = node;
      node = walker.nextNode();
    }
    return last ? { node: last, offset: last.data.length } : null;
  }

  // Code points from the start of `root` to a DOM position inside it.
  function offsetIn(root, node, offset) {
    var r = document.createRange();
    r.setStart(root, 0);
    r.setEnd(node, offset);
    return codePoints(r.toString());
  }

  function sentenceRange(sentence, start, end) {
    var a = pointAt(sentence, start);
    var b = pointAt(sentence, end);
    if (!a || !b) {
      return null;
    }
    var r = document.createRange();
    r.setStart(a.node, a.offset);
    r.setEnd(b.node, b.offset);
    return r;
  }

  function api(url, method, body) {
    var init = { method: method || 'GET', credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return window.fetch(url, init).then(function (resp) {
      if (resp.status === 204) {
        return null;
      }
      return resp.json().catch(function () { return {}; }).then(function (json) {
        if (!resp.ok) {
          throw new Error(json.error || ('The server answered ' + resp.status + '.'));
        }
        return json;
      });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function button(text, review, extra) {
    var b = el('button', 'tool small', text);
    b.type = 'button';
    b.setAttribute('data-review', review);
    Object.keys(extra || {}).forEach(function (k) { b.setAttribute(k, extra[k]); });
    return b;
  }

  function localTime(seconds) {
    var d = new Date(seconds * 1000);
    var t = el('time', '', d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    t.setAttribute('datetime', d.toISOString());
    return t;
  }

  // A note's body from its parts: text, emphasis, strong emphasis, links (the server lets only http, https and
  // mailto through) and paragraph breaks.
  function noteBody(parts) {
    var body = el('div', 'note-body');
    var p = el('p');
    body.appendChild(p);
    (parts || []).forEach(function (part) {
      if (part['break']) {
        p = el('p');
        body.appendChild(p);
      } else if (part.link !== undefined) {
        var a = el('a', '', part.link);
        a.href = part.href;
        a.rel = 'noreferrer noopener nofollow';
        a.target = '_blank';
        p.appendChild(a);
      } else if (part.em !== undefined) {
        p.appendChild(el('em', '', part.em));
      } else if (part.strong !== undefined) {
        p.appendChild(el('strong', '', part.strong));
      } else if (part.text !== undefined) {
        p.appendChild(document.createTextNode(part.text));
      }
    });
    return body;
  }

  function shorten(text, max) {
    var chars = Array.from(text.replace(/\s+/g, ' ').trim());
    return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
  }

  Reader.prototype.startReview = function () {
    var box = document.getElementById('notes');
    if (!box || !this.text || !box.getAttribute('data-notes')) {
      return;
    }
    var self = this;
    this.review = {
      box: box,
      notesUrl: box.getAttribute('data-notes'),
      correctionsUrl: box.getAttribute('data-corrections'),
      mayWrite: box.hasAttribute('data-may-write'),
      notes: [],
      corrections: [],
      name: null,
      selection: null,
      move: null,
      dialog: null,
      reloadWhenDone: false
    };
    this.selectTools = document.getElementById('select-tools');
    this.moveBar = document.getElementById('move-bar');
    document.addEventListener('click', function (e) {
      var b = e.target.closest('[data-review]');
      if (b) {
        e.preventDefault();
        self.reviewAction(b.getAttribute('data-review'), b);
      }
    });
    ['note-form', 'fix-form'].forEach(function (id) {
      var form = document.getElementById(id);
      if (form) {
        form.addEventListener('submit', function (e) {
          e.preventDefault();
          self.submitReview(form);
        });
      }
    });
    ['note-dialog', 'fix-dialog'].forEach(function (id) {
      var d = document.getElementById(id);
      if (d) {
        d.addEventListener('close', function () { self.dialogClosed(); });
      }
    });
    if (this.review.mayWrite && this.selectTools) {
      var timer = 0;
      document.addEventListener('selectionchange', function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { self.selectionChanged(); }, 120);
      });
    }
    this.loadNotes();
    if (this.review.mayWrite) {
      this.loadCorrections();
    }
  };

  Reader.prototype.loadNotes = function () {
    var self = this;
    return api(this.review.notesUrl).then(function (json) {
      self.review.notes = json.notes || [];
      if (json.name) {
        self.review.name = json.name;
      }
      self.drawNotes();
    }).catch(function () {
      // The server's rendering of the notes stays.
    });
  };

  Reader.prototype.loadCorrections = function () {
    var self = this;
    if (!this.review.correctionsUrl) {
      return;
    }
    api(this.review.correctionsUrl).then(function (json) {
      self.review.corrections = json.corrections || [];
      self.drawCorrectionTools();
    }).catch(function () {});
  };

  // The Notes panel, the margin pins and the lit passages, from the notes as the server has them now.
  Reader.prototype.drawNotes = function () {
    var r = this.review;
    var self = this;
    var tops = r.notes.filter(function (n) { return !n.parent; });
    var list = document.getElementById('threads');
    var items = tops.map(function (n) {
      var li = el('li', 'thread' + (n.resolved ? ' is-resolved' : ''));
      li.id = 'note-' + n.id;
      li.setAttribute('data-note-id', n.id);
      li.tabIndex = -1;
      var where = el('p', 'thread-where');
      var sentence = n.at ? document.getElementById(n.at.sentence) : null;
      if (sentence) {
        var a = el('a', '', 'Sentence ' + sentence.getAttribute('data-number'));
        a.href = '#' + sentence.id;
        where.appendChild(a);
        if (!n.at.in_place) {
          where.appendChild(document.createTextNode(' '));
          where.appendChild(el('span', 'muted', '(its sentence changed; found here)'));
        }
      } else {
        where.appendChild(el('span', 'changed', 'This passage changed'));
        where.appendChild(document.createTextNode(': it is no longer in the text.'));
      }
      if (n.resolved) {
        where.appendChild(document.createTextNode(' · '));
        where.appendChild(el('span', 'badge', 'resolved'));
      }
      li.appendChild(where);
      li.appendChild(el('blockquote', 'thread-quote', shorten(n.quote.exact, 160)));
      self.drawNote(li, n, true);
      var replies = r.notes.filter(function (x) { return x.parent === n.id; });
      if (replies.length > 0) {
        var ol = el('ol', 'replies');
        replies.forEach(function (x) {
          var rli = el('li', 'reply');
          rli.id = 'note-' + x.id;
          rli.setAttribute('data-note-id', x.id);
          self.drawNote(rli, x, false);
          ol.appendChild(rli);
        });
        li.appendChild(ol);
      }
      return li;
    });
    if (list) {
      list.replaceChildren.apply(list, items);
    }
    var count = document.getElementById('notes-count');
    if (count) {
      count.textContent = tops.length > 0 ? '(' + tops.length + ')' : '';
    }
    var empty = document.getElementById('notes-empty');
    if (empty) {
      empty.hidden = tops.length > 0;
    }
    this.drawPins(tops);
    this.lightNotes(tops);
  };

  Reader.prototype.drawNote = function (li, n, top) {
    li.appendChild(noteBody(n.parts));
    var by = el('p', 'note-by');
    by.appendChild(el('span', 'author', n.author));
    by.appendChild(document.createTextNode(' · '));
    by.appendChild(localTime(n.created));
    if (n.edited) {
      by.appendChild(document.createTextNode(' · edited'));
    }
    li.appendChild(by);
    if (!this.review.mayWrite) {
      return;
    }
    var tools = el('p', 'note-tools');
    if (top) {
      tools.appendChild(button('Reply', 'reply', { 'data-id': n.id }));
      tools.appendChild(button(n.resolved ? 'Reopen' : 'Resolve', 'resolve', { 'data-id': n.id }));
    }
    if (n.mine) {
      tools.appendChild(button('Edit', 'edit', { 'data-id': n.id }));
      tools.appendChild(button('Delete', 'delete', { 'data-id': n.id }));
    }
    li.appendChild(tools);
  };

  // One pin per sentence with open notes, in the margin beside it, linking to its first note.
  Reader.prototype.drawPins = function (tops) {
    this.text.querySelectorAll('.note-pin').forEach(function (p) { p.remove(); });
    var by = new Map();
    tops.forEach(function (n) {
      if (n.at && !n.resolved) {
        by.set(n.at.sentence, (by.get(n.at.sentence) || []).concat([n]));
      }
    });
    by.forEach(function (notes, sid) {
      var sentence = document.getElementById(sid);
      if (!sentence) {
        return;
      }
      var pin = el('a', 'note-pin', String(notes.length));
      pin.href = '#note-' + notes[0].id;
      pin.setAttribute('data-pin', sid);
      pin.setAttribute('aria-label', notes.length + (notes.length === 1 ? ' note' : ' notes') + ' on sentence ' +
        sentence.getAttribute('data-number'));
      sentence.parentNode.insertBefore(pin, sentence);
    });
  };

  Reader.prototype.lightNotes = function (tops) {
    if (!window.CSS || !CSS.highlights || typeof window.Highlight !== 'function') {
      return;
    }
    var ranges = [];
    tops.forEach(function (n) {
      var sentence = n.at && !n.resolved ? document.getElementById(n.at.sentence) : null;
      if (!sentence) {
        return;
      }
      var base = parseInt(sentence.getAttribute('data-start'), 10) || 0;
      // A note on a whole sentence has its pin; lighting all of it would hide the sentence's own highlights.
      if (n.at.start === base && n.at.end - base >= codePoints(sentence.textContent)) {
        return;
      }
      var r = sentenceRange(sentence, n.at.start - base, n.at.end - base);
      if (r) {
        ranges.push(r);
      }
    });
    CSS.highlights.set('lectern-notes', new window.Highlight(...ranges));
  };

  // The undo buttons beside the corrections the reader may undo.
  Reader.prototype.drawCorrectionTools = function () {
    var list = document.getElementById('corrections');
    if (!list) {
      return;
    }
    this.review.corrections.forEach(function (c) {
      var li = list.querySelector('[data-correction-id="' + c.id + '"]');
      if (li && c.mine && !li.querySelector('[data-review="undo"]')) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(button('Undo', 'undo', { 'data-id': c.id }));
      }
    });
  };

  // The selection inside one sentence of the text, as the API takes it; null for none.
  Reader.prototype.selected = function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
      return null;
    }
    var range = sel.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var sentence = start && start.closest ? start.closest('.sentence') : null;
    if (!sentence || !this.text.contains(sentence)) {
      return null;
    }
    var from = offsetIn(sentence, range.startContainer, range.startOffset);
    var to = sentence.contains(range.endContainer) ? offsetIn(sentence, range.endContainer, range.endOffset) :
      codePoints(sentence.textContent);
    var text = Array.from(sentence.textContent).slice(from, to).join('');
    // Spaces at either end are not part of the passage.
    var lead = codePoints(text) - codePoints(text.replace(/^\s+/, ''));
    var trail = codePoints(text) - codePoints(text.replace(/\s+$/, ''));
    from += lead;
    to -= trail;
    if (to <= from) {
      return null;
    }
    var whole = Array.from(sentence.textContent);
    var base = parseInt(sentence.getAttribute('data-start'), 10) || 0;
    return {
      sentence: sentence,
      start: base + from,
      end: base + to,
      exact: whole.slice(from, to).join(''),
      prefix: whole.slice(Math.max(0, from - 32), from).join(''),
      suffix: whole.slice(to, to + 32).join(''),
      rect: range.getBoundingClientRect()
    };
  };

  Reader.prototype.selectionChanged = function () {
    var tools = this.selectTools;
    var r = this.review;
    if (!tools || r.dialog) {
      return;
    }
    var s = this.selected();
    if (!s) {
      if (!tools.contains(document.activeElement)) {
        tools.hidden = true;
        r.selection = null;
      }
      return;
    }
    r.selection = s;
    var moving = r.move !== null;
    tools.querySelectorAll('[data-review]').forEach(function (b) {
      b.hidden = (b.getAttribute('data-review') === 'move-here') !== moving;
    });
    tools.querySelectorAll('.select-label, .select-sep').forEach(function (x) { x.hidden = moving; });
    tools.hidden = false;
    var width = tools.offsetWidth;
    var left = Math.max(8, Math.min(s.rect.left, document.documentElement.clientWidth - width - 8));
    tools.style.left = Math.round(left + window.scrollX) + 'px';
    tools.style.top = Math.round(s.rect.bottom + window.scrollY + 8) + 'px';
  };

  Reader.prototype.askName = function (row, input) {
    var known = this.review.name;
    input.value = known || '';
    input.defaultValue = input.value;
    row.hidden = !!known;
    input.required = !known;
  };

  Reader.prototype.openDialog = function (id, state) {
    var d = document.getElementById(id);
    if (!d) {
      return;
    }
    this.unexplain();
    if (this.selectTools) {
      this.selectTools.hidden = true;
    }
    this.review.dialog = state;
    var error = d.querySelector('[role="alert"]');
    if (error) {
      error.hidden = true;
    }
    d.showModal();
    var first = d.querySelector('textarea, input:not([type=hidden]):not([hidden])');
    var name = d.querySelector('input[name="author"]');
    if (name && !name.value) {
      name.focus();
    } else if (d.querySelector('textarea')) {
      d.querySelector('textarea').focus();
    } else if (first) {
      first.focus();
    }
  };

  Reader.prototype.dialogClosed = function () {
    this.review.dialog = null;
    // What was typed into a closed dialog is given up (or was saved).
    document.querySelectorAll('dialog.review-dialog textarea').forEach(function (t) { t.defaultValue = t.value; });
    if (this.review.reloadWhenDone && !this.review.move) {
      this.reloadReviewed();
    }
  };

  // Write a note on the selection, or on the current sentence.
  Reader.prototype.startNote = function (reply, edit) {
    var r = this.review;
    if (!r || !r.mayWrite) {
      return false;
    }
    var quote = document.getElementById('note-dialog-quote');
    var body = document.getElementById('note-body');
    var head = document.getElementById('note-dialog-h');
    var state = { kind: 'note' };
    if (edit) {
      state = { kind: 'edit', id: edit.id };
      quote.textContent = shorten(edit.quote.exact, 240);
      head.textContent = 'Edit your note';
      body.value = edit.body;
    } else if (reply) {
      state = { kind: 'reply', parent: reply.id };
      quote.textContent = shorten(reply.quote.exact, 240);
      head.textContent = 'Reply to ' + reply.author;
      body.value = '';
    } else {
      var s = r.selection || this.selected();
      var sentence = s ? s.sentence : (this.position() && this.position().closest ?
        this.position().closest('.sentence') : null);
      if (!sentence) {
        this.announce('Select some words, or go to a sentence (n or p), to write a note on it.');
        return true;
      }
      state.sentence = sentence.id;
      state.quote = s ? { exact: s.exact, prefix: s.prefix, suffix: s.suffix } : null;
      quote.textContent = shorten(s ? s.exact : sentence.textContent, 240);
      head.textContent = 'Note on sentence ' + sentence.getAttribute('data-number');
      body.value = '';
    }
    body.defaultValue = '';
    this.askName(document.getElementById('note-name-row'), document.getElementById('note-name'));
    this.openDialog('note-dialog', state);
    return true;
  };

  // What a highlight is, for a correction: its layer, its span and its sentence.
  Reader.prototype.markTarget = function (mark) {
    var id = mark.getAttribute('data-ann');
    var sentence = mark.closest('.sentence');
    var pieces = Array.prototype.slice.call(sentence.querySelectorAll('mark[data-ann="' + id + '"]'));
    var first = pieces[0];
    var last = pieces[pieces.length - 1];
    var r = document.createRange();
    r.setStart(sentence, 0);
    r.setStartBefore(first);
    var from = offsetIn(sentence, r.startContainer, r.startOffset);
    r.setEndAfter(last);
    var to = offsetIn(sentence, r.endContainer, r.endOffset);
    var base = parseInt(sentence.getAttribute('data-start'), 10) || 0;
    var variant = (mark.className.match(/\bhl-[a-z]+-([a-z]+)\b/) || [])[1] || null;
    return {
      layer: mark.getAttribute('data-layer'),
      sentence: sentence,
      target: { start: base + from, end: base + to, text: Array.from(sentence.textContent).slice(from, to).join('') },
      variant: variant
    };
  };

  // The correction controls shown with an explanation.
  Reader.prototype.explainTools = function (mark) {
    var box = el('div', 'why-review');
    var said = mark.getAttribute('data-corrected') ||
      (this.text.querySelector('mark[data-ann="' + mark.getAttribute('data-ann') + '"][data-corrected]') || {
        getAttribute: function () { return null; }
      }).getAttribute('data-corrected');
    if (said) {
      box.appendChild(el('p', 'why-corrected', said + '.'));
    }
    if (this.review && this.review.mayWrite) {
      var p = el('p', 'why-tools');
      p.appendChild(el('span', 'muted', 'Is this right? '));
      p.appendChild(button('Right', 'confirm', { 'data-ann': mark.getAttribute('data-ann') }));
      p.appendChild(button('Wrong', 'reject', { 'data-ann': mark.getAttribute('data-ann') }));
      p.appendChild(button('Fix…', 'fix', { 'data-ann': mark.getAttribute('data-ann') }));
      box.appendChild(p);
    }
    return box.childNodes.length > 0 ? box : null;
  };

  Reader.prototype.markOf = function (b) {
    return this.text.querySelector('mark[data-ann="' + b.getAttribute('data-ann') + '"]');
  };

  // A layer in words, and the choice a fix of it asks for (a source's kind, a hedge's category, a claim label), as
  // the page says them.
  function layerWords(layer) {
    var b = document.querySelector('#select-tools [data-layer="' + layer + '"][data-words]');
    return b ? b.getAttribute('data-words') : layer;
  }

  function choiceFor(layer) {
    return document.querySelector('.fix-choice[data-for-layer="' + layer + '"]');
  }

  Reader.prototype.startFix = function (state) {
    var d = document.getElementById('fix-dialog');
    if (!d) {
      return;
    }
    var what = document.getElementById('fix-what');
    var judging = state.action === 'confirm' || state.action === 'reject';
    var choice = judging ? null : choiceFor(state.layer);
    d.querySelectorAll('.fix-choice').forEach(function (f) {
      f.hidden = f !== choice;
      f.querySelectorAll('input').forEach(function (i) {
        i.checked = state.variant !== null && i.value === state.variant;
        i.required = f === choice;
      });
    });
    state.claimOnly = choice !== null && !state.target && !state.span;
    var words = state.target ? '“' + shorten(state.target.text, 80) + '”' : '';
    var number = state.sentence.getAttribute('data-number');
    if (judging) {
      what.textContent = state.action === 'confirm' ?
        'Mark the ' + layerWords(state.layer) + ' ' + words + ' in sentence ' + number + ' as right.' :
        'Mark the ' + layerWords(state.layer) + ' ' + words + ' in sentence ' + number + ' as wrong: it leaves ' +
        'the highlights, the figures and the ledger.';
    } else if (state.action === 'add') {
      what.textContent = 'Mark ' + '“' + shorten(state.span.text, 80) + '” in sentence ' + number + ' as a ' +
        layerWords(state.layer) + '.';
    } else if (state.claimOnly) {
      what.textContent = 'Set the claim label of sentence ' + number + '.';
    } else {
      what.textContent = 'Fix the ' + layerWords(state.layer) + ' ' + words + ' in sentence ' + number +
        ': choose what it is, or change which words it covers.';
    }
    document.getElementById('fix-move').hidden = judging || state.action === 'add' || state.claimOnly;
    this.askName(document.getElementById('fix-name-row'), document.getElementById('fix-name'));
    this.openDialog('fix-dialog', state);
  };

  Reader.prototype.sendCorrection = function (state, extra) {
    var self = this;
    var body = {
      sentence: state.sentence.id,
      layer: state.layer,
      action: state.action,
      target: state.target ? { start: state.target.start, end: state.target.end, text: state.target.text } : null,
      span: state.span ? { start: state.span.start, end: state.span.end, text: state.span.text } : null
    };
    Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
    if (!body.author && this.review.name) {
      body.author = this.review.name;
    }
    return api(this.review.correctionsUrl, 'POST', body).then(function (json) {
      self.review.name = json.author || self.review.name;
      self.announce('Correction saved: the page shows it now.');
      self.review.message = 'Your correction was saved; the highlights, figures and ledger now show it.';
      var open = document.querySelector('dialog.review-dialog[open]');
      if (open) {
        // Closing it reloads the page (see dialogClosed).
        self.review.reloadWhenDone = true;
        open.close();
      } else {
        self.reloadReviewed();
      }
      return json;
    });
  };

  // Reload in place after corrections changed, keeping the reader's sentence.
  Reader.prototype.reloadReviewed = function (message) {
    if (message) {
      this.review.message = message;
    }
    if (this.review.dialog || this.review.move || busy()) {
      this.review.reloadWhenDone = true;
      showNotice(document.getElementById('updated'), 'The annotation changed; the page will show it when you are ' +
        'done here.');
      return;
    }
    var reader = document.querySelector('.reader[data-events]');
    savePlace(reader ? parseInt(reader.getAttribute('data-revision'), 10) || 0 : 0,
      this.review.message || 'A colleague corrected the annotation; the page now shows the corrected view.');
    reload();
  };

  Reader.prototype.needName = function (input) {
    var name = input ? input.value.trim() : '';
    if (name) {
      this.review.name = name;
      // A name given is kept (in a cookie): it is not unsaved typing that a reload would lose.
      input.defaultValue = input.value;
    }
    return name || this.review.name || '';
  };

  Reader.prototype.submitReview = function (form) {
    var self = this;
    var state = this.review.dialog;
    if (!state) {
      return;
    }
    var dialog = form.closest('dialog');
    var error = dialog.querySelector('[role="alert"]');
    var fail = function (err) {
      error.textContent = err.message;
      error.hidden = false;
    };
    error.hidden = true;
    if (form.id === 'note-form') {
      var text = document.getElementById('note-body').value;
      var author = this.needName(document.getElementById('note-name'));
      var done = function () {
        document.getElementById('note-body').defaultValue = document.getElementById('note-body').value;
        dialog.close();
        return self.loadNotes();
      };
      var sent;
      if (state.kind === 'edit') {
        sent = api(this.review.notesUrl + '/' + encodeURIComponent(state.id), 'PATCH', { body: text });
      } else if (state.kind === 'reply') {
        sent = api(this.review.notesUrl, 'POST', { parent: state.parent, body: text, author: author });
      } else {
        sent = api(this.review.notesUrl, 'POST', {
          sentence: state.sentence, quote: state.quote, body: text, author: author
        });
      }
      sent.then(function (note) {
        if (note && note.author) {
          self.review.name = note.author;
        }
        return done().then(function () {
          var li = note && document.getElementById('note-' + note.id);
          self.announce(state.kind === 'edit' ? 'Note saved.' : 'Note saved; everyone reading this page sees it.');
          if (li) {
            li.scrollIntoView({ block: 'nearest' });
          }
        });
      }).catch(fail);
      return;
    }
    var data = new FormData(form);
    var extra = { author: this.needName(document.getElementById('fix-name')) };
    var judging = state.action === 'confirm' || state.action === 'reject';
    var choice = judging ? null : choiceFor(state.layer);
    var field = choice ? choice.getAttribute('data-field') : null;
    var value = field ? data.get(field) : null;
    if (value) {
      extra[field] = value;
    }
    if (state.action === 'fix' && !value && !state.span) {
      fail(new Error('Choose what it is, or change which words it covers.'));
      return;
    }
    if (state.action === 'fix' && state.variant && value === state.variant && !state.span) {
      state.action = 'confirm';
    }
    this.sendCorrection(state, extra).catch(fail);
  };

  Reader.prototype.noteById = function (id) {
    return this.review.notes.find(function (n) { return n.id === id; }) || null;
  };

  Reader.prototype.startMove = function (state) {
    var r = this.review;
    r.move = state;
    var d = document.getElementById('fix-dialog');
    if (d && d.open) {
      d.close();
    }
    document.getElementById('move-text').textContent = 'Select the right words for the ' + layerWords(state.layer) +
      ' “' + shorten(state.target.text, 60) + '” in sentence ' + state.sentence.getAttribute('data-number') +
      ', then choose “Use these words”.';
    this.moveBar.hidden = false;
    this.announce(document.getElementById('move-text').textContent);
  };

  Reader.prototype.endMove = function () {
    this.review.move = null;
    if (this.moveBar) {
      this.moveBar.hidden = true;
    }
    if (this.selectTools) {
      this.selectTools.hidden = true;
    }
    if (this.review.reloadWhenDone) {
      this.reloadReviewed();
    }
  };

  Reader.prototype.reviewAction = function (what, b) {
    var self = this;
    var r = this.review;
    if (!r) {
      return;
    }
    var report = function (err) { self.message(b, err.message); self.announce(err.message); };
    var mark;
    var state;
    switch (what) {
      case 'note':
        this.startNote(null, null);
        return;
      case 'close-dialog':
        b.closest('dialog').close();
        return;
      case 'reply':
        this.startNote(this.noteById(b.getAttribute('data-id')), null);
        return;
      case 'edit':
        this.startNote(null, this.noteById(b.getAttribute('data-id')));
        return;
      case 'resolve': {
        var n = this.noteById(b.getAttribute('data-id'));
        api(r.notesUrl + '/' + encodeURIComponent(n.id), 'PATCH', { resolved: !n.resolved }).then(function () {
          self.announce(n.resolved ? 'Note reopened.' : 'Note resolved.');
          return self.loadNotes();
        }).catch(report);
        return;
      }
      case 'delete':
        if (window.confirm('Delete this note' + (b.closest('.thread') && !b.closest('.reply') ? ' and its replies' :
          '') + '?')) {
          api(r.notesUrl + '/' + encodeURIComponent(b.getAttribute('data-id')), 'DELETE').then(function () {
            self.announce('Note deleted.');
            return self.loadNotes();
          }).catch(report);
        }
        return;
      case 'undo':
        api(r.correctionsUrl + '/' + encodeURIComponent(b.getAttribute('data-id')), 'DELETE').then(function () {
          self.reloadReviewed('The correction was undone.');
        }).catch(report);
        return;
      case 'confirm':
      case 'reject':
        mark = this.markOf(b);
        if (mark) {
          state = this.markTarget(mark);
          state.action = what;
          if (!r.name) {
            this.startFix(state);
            return;
          }
          this.sendCorrection(state, {}).catch(report);
        }
        return;
      case 'fix':
        mark = this.markOf(b);
        if (mark) {
          state = this.markTarget(mark);
          state.action = 'fix';
          if (!choiceFor(state.layer)) {
            this.startMove(state);
          } else {
            this.startFix(state);
          }
        }
        return;
      case 'move-start':
        if (r.dialog) {
          this.startMove(r.dialog);
        }
        return;
      case 'move-cancel':
        this.endMove();
        this.announce('Nothing was changed.');
        return;
      case 'move-here': {
        var s = r.selection;
        var m = r.move;
        if (!s || !m) {
          return;
        }
        if (s.sentence !== m.sentence) {
          this.announce('Select words in sentence ' + m.sentence.getAttribute('data-number') + '.');
          return;
        }
        m.span = { start: s.start, end: s.end, text: s.exact };
        m.action = 'fix';
        var extra = {};
        var keep = choiceFor(m.layer);
        if (keep && m.variant) {
          extra[keep.getAttribute('data-field')] = m.variant;
        }
        this.endMove();
        if (!r.name) {
          this.startFix(m);
          return;
        }
        this.sendCorrection(m, extra).catch(report);
        return;
      }
      case 'add': {
        var sel = r.selection;
        if (!sel) {
          return;
        }
        state = {
          layer: b.getAttribute('data-layer'), action: 'add', sentence: sel.sentence, target: null, variant: null,
          span: { start: sel.start, end: sel.end, text: sel.exact }
        };
        if (choiceFor(state.layer) || !r.name) {
          this.startFix(state);
        } else {
          this.sendCorrection(state, {}).catch(report);
        }
        return;
      }
      case 'claim-label': {
        var at = r.selection ? r.selection.sentence : null;
        if (at) {
          this.startFix({ layer: b.getAttribute('data-layer'), action: 'fix', sentence: at, target: null, span: null,
            variant: at.getAttribute('data-claim') });
        }
        return;
      }
      default:
        return;
    }
  };

  // ---- Input --------------------------------------------------------------------------------------------------

  Reader.prototype.onClick = function (e) {
    var target = e.target;
    var speaker = target.closest('button.speaker');
    if (speaker && !speaker.disabled) {
      this.selectSpeaker(speaker);
      return;
    }
    var button = target.closest('[data-action]');
    if (button && !(this.help && this.help.contains(button) && button.type === 'submit')) {
      // An action that cannot run here (no dialog on this page) leaves the link or button to do its own work.
      if (this.run(button.getAttribute('data-action'), button)) {
        e.preventDefault();
      }
      return;
    }
    if (!this.text) {
      return;
    }
    if (this.text.contains(target)) {
      var mark = this.shownMark(target);
      if (mark) {
        this.setCurrentMark(mark);
        this.explain(mark);
      } else {
        this.setCurrentMark(null);
        this.unexplain();
      }
      this.setCurrentSentence(target.closest('.sentence'), !mark);
    } else if (!this.why.contains(target)) {
      this.unexplain();
    }
  };

  Reader.prototype.onKey = function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    var t = e.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : '';
    var typing = t && (t.isContentEditable || tag === 'textarea' || tag === 'select' ||
      (tag === 'input' && t.type !== 'checkbox' && t.type !== 'radio'));
    if (typing) {
      return;
    }
    var action = this.keys.get(e.key);
    if (this.help && this.help.open && action !== 'help' && action !== 'close') {
      return;
    }
    var toggle = this.toggles.find(function (x) { return x.getAttribute('data-key') === e.key; });
    if (toggle) {
      e.preventDefault();
      this.toggleLayer(toggle);
      return;
    }
    if (action && this.run(action, null)) {
      e.preventDefault();
    }
  };

  Reader.prototype.announce = function (text) {
    var live = this.live;
    if (!live) {
      return;
    }
    live.textContent = '';
    window.requestAnimationFrame(function () { live.textContent = text; });
  };
})();
