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

  function savePlace(revision) {
    var place = readingPlace();
    try {
      window.sessionStorage.setItem(PLACE_KEY + window.location.pathname, JSON.stringify({
        place: place, revision: revision, at: Date.now(), current: document.activeElement && document.activeElement.id
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
    showNotice(document.getElementById('updated'), 'The document changed and this page now shows its new version ' +
      '(revision ' + saved.revision + ').');
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
    var url = new URL(window.location.href);
    if (hidden.length > 0) {
      url.searchParams.set('hide', hidden.join(','));
    } else {
      url.searchParams.delete('hide');
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
