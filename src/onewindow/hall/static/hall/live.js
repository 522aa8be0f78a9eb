/* onewindow hall: live display board and window screen over WebSockets. Vanilla JS, no dependencies.
   Reconnects by itself (backoff up to 10 s), pings every 15 s to notice dead links, and speaks each call. */
(function () {
  "use strict";

  function LiveSocket(path, onMessage, onStatus) {
    var socket = null, retry = 0, pingTimer = null, pongDeadline = null, stopped = false;
    function url() {
      return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
    }
    function clearTimers() {
      clearInterval(pingTimer); clearTimeout(pongDeadline); pingTimer = pongDeadline = null;
    }
    function schedule() {
      if (stopped) return;
      var delay = Math.min(10000, 500 * Math.pow(2, retry++));
      onStatus("offline");
      setTimeout(connect, delay);
    }
    function connect() {
      try { socket = new WebSocket(url()); } catch (e) { schedule(); return; }
      socket.onopen = function () {
        retry = 0; onStatus("online");
        pingTimer = setInterval(function () {
          if (socket.readyState !== 1) return;
          socket.send(JSON.stringify({ kind: "ping" }));
          clearTimeout(pongDeadline);
          pongDeadline = setTimeout(function () { socket.close(); }, 10000);
        }, 15000);
      };
      socket.onmessage = function (e) {
        var data; try { data = JSON.parse(e.data); } catch (err) { return; }
        if (data.kind === "pong") { clearTimeout(pongDeadline); return; }
        onMessage(data);
      };
      socket.onclose = function () { clearTimers(); schedule(); };
      socket.onerror = function () { try { socket.close(); } catch (e) { /* already closed */ } };
    }
    window.addEventListener("online", function () { if (socket && socket.readyState > 1) { retry = 0; } });
    connect();
    return { stop: function () { stopped = true; clearTimers(); if (socket) socket.close(); } };
  }

  /* Speech: Mandarin from the browser's own synthesis; browsers allow it after one tap on the page. */
  var spoken = window.hallAnnouncements = [];
  function speak(text) {
    if (!text) return;
    spoken.push(text);
    var last = document.getElementById("last-announcement");
    if (last) last.textContent = text;
    if (!("speechSynthesis" in window)) return;
    try {
      var voices = window.speechSynthesis.getVoices() || [], voice = null;
      for (var i = 0; i < voices.length; i++) {
        if (/^zh(-|_)CN/i.test(voices[i].lang)) { voice = voices[i]; break; }
      }
      for (var n = 0; n < 2; n++) { /* 每次叫号读两遍 */
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "zh-CN"; u.rate = 0.9;
        if (voice) u.voice = voice;
        window.speechSynthesis.speak(u);
      }
    } catch (e) { /* no voice on this machine: the screen still shows the call */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(state) {
    var s = document.getElementById("link-status");
    if (!s) return;
    s.className = "link-status " + state;
    s.textContent = state === "online" ? s.dataset.online : s.dataset.offline;
  }

  function startClock() {
    var clock = document.getElementById("clock");
    if (!clock) return;
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var d = new Date();
      clock.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
        pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    }
    tick(); setInterval(tick, 1000);
  }

  /* ---- the hall board ---- */
  function Board(root) {
    var state = { calling: [], recent: [], waiting: [] };
    var callingBox = document.getElementById("calling"), recentBox = document.getElementById("recent"),
        waitingBox = document.getElementById("waiting"), banner = document.getElementById("banner");

    function renderCalling() {
      callingBox.textContent = "";
      if (!state.calling.length) { callingBox.appendChild(el("p", "empty", callingBox.dataset.empty)); return; }
      state.calling.slice(0, 6).forEach(function (c) {
        var row = el("div", "call-row" + (c.fresh ? " fresh" : ""));
        row.dataset.ticket = c.ticket;
        row.appendChild(el("span", "ticket-no", c.ticket));
        row.appendChild(el("span", "arrow", "→"));
        row.appendChild(el("span", "window-no", c.window + root.dataset.windowSuffix));
        var cat = el("span", "cat", c.category); cat.lang = "zh-Hans";  // a category is a name
        row.appendChild(cat);
        callingBox.appendChild(row);
      });
    }
    function renderRecent() {
      recentBox.textContent = "";
      state.recent.slice(0, 8).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("b", null, r.ticket));
        li.appendChild(el("span", null, " " + r.window + root.dataset.windowSuffix + " "));
        li.appendChild(el("small", null, r.at || ""));
        recentBox.appendChild(li);
      });
    }
    function renderWaiting() {
      waitingBox.textContent = "";
      state.waiting.forEach(function (w) {
        var li = el("li");
        li.appendChild(el("span", "prefix", w.prefix));
        var name = el("span", "name", w.name); name.lang = "zh-Hans";
        li.appendChild(name);
        li.appendChild(el("b", "count", String(w.waiting)));
        waitingBox.appendChild(li);
      });
    }
    /* An act sends how it changed the counts ({prefix, name, by: +1 or -1}), not the counts: add it. */
    function applyChange(changes) {
      changes.forEach(function (c) {
        var row = null;
        state.waiting.forEach(function (w) { if (w.prefix === c.prefix) row = w; });
        if (row) row.waiting = Math.max(0, row.waiting + c.by);
        else if (c.by > 0) state.waiting.push({ prefix: c.prefix, name: c.name, waiting: c.by });
      });
    }
    function drop(ticket, window_) {
      state.calling = state.calling.filter(function (c) { return c.ticket !== ticket && c.window !== window_; });
    }
    function onMessage(m) {
      if (m.kind === "snapshot") {
        state.calling = m.calling; state.recent = m.recent; state.waiting = m.waiting;
        renderCalling(); renderRecent(); renderWaiting(); return;
      }
      if (m.waiting) { state.waiting = m.waiting; renderWaiting(); }
      if (m.waiting_change) { applyChange(m.waiting_change); renderWaiting(); }
      if (m.kind === "call" || m.kind === "recall") {
        drop(m.ticket, m.window);
        state.calling.forEach(function (c) { c.fresh = false; });
        state.calling.unshift({ ticket: m.ticket, window: m.window, category: m.category, fresh: true });
        if (m.kind === "call") state.recent.unshift({ ticket: m.ticket, window: m.window, at: m.at });
        renderCalling(); renderRecent();
        /* The banner has its own row: it keeps the last call, lit red for 8 s. */
        banner.textContent = m.speech; banner.classList.add("show");
        clearTimeout(banner._t); banner._t = setTimeout(function () { banner.classList.remove("show"); }, 8000);
        speak(m.speech);
      } else if (m.kind === "finish" || m.kind === "no_show" || m.kind === "transfer") {
        drop(m.ticket, null); renderCalling();
      }
    }
    var initial = document.getElementById("initial-snapshot");
    if (initial) onMessage(JSON.parse(initial.textContent));
    LiveSocket(root.dataset.socket, onMessage, setStatus);
  }

  /* ---- the small screen above one window ---- */
  function WindowScreen(root) {
    var ticket = document.getElementById("screen-ticket"), note = document.getElementById("screen-note");
    function onMessage(m) {
      if (m.kind === "snapshot") {
        ticket.textContent = m.ticket || "—";
        note.textContent = m.status !== "open" ? (root.dataset[m.status] || "") : (m.category || "");
        return;
      }
      if (m.kind === "call" || m.kind === "recall") {
        ticket.textContent = m.ticket; note.textContent = m.category;
        ticket.classList.remove("flash"); void ticket.offsetWidth; ticket.classList.add("flash");
        speak(m.speech);
      } else if (m.kind === "finish" || m.kind === "no_show" || m.kind === "transfer") {
        ticket.textContent = "—"; note.textContent = "";
      } else if (m.kind === "window") {
        note.textContent = m.status !== "open" ? (root.dataset[m.status] || "") : "";
      }
    }
    var initial = document.getElementById("initial-snapshot");
    if (initial) onMessage(JSON.parse(initial.textContent));
    LiveSocket(root.dataset.socket, onMessage, setStatus);
  }

  document.addEventListener("DOMContentLoaded", function () {
    startClock();
    var unlock = document.getElementById("sound-on");
    if (unlock) unlock.addEventListener("click", function () {
      try { window.speechSynthesis.speak(new SpeechSynthesisUtterance("")); } catch (e) { /* no synthesis */ }
      unlock.hidden = true;
    });
    var board = document.querySelector("[data-live=board]");
    if (board) Board(board);
    var screen = document.querySelector("[data-live=window]");
    if (screen) WindowScreen(screen);
    var print = document.getElementById("print-now");
    if (print) print.addEventListener("click", function () { window.print(); });
  });
})();
