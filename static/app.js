// Lectern's reading view, enhanced: layer switches from the keyboard with their state in the URL, explanations on
// hover and focus, keyboard navigation announced to screen readers, the source ledger, sentence links and the
// colour scheme. Plain script, no framework, no build step, nothing fetched. The page works without it: the
// server renders the layers, the legend's checkboxes switch them through CSS, and titles explain each highlight.
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
    new Reader().start();
  });

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
    this.openHash();
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
      e.preventDefault();
      this.run(button.getAttribute('data-action'), button);
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
