// The hall's displays and kiosk. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var DIGITS = "零一二三四五六七八九";

  // "A012", 3 → "请A012号到3号窗口" (spoken digit by digit for the ticket, as halls do).
  function sentence(number, windowNumber) {
    return "请" + number + "号到" + windowNumber + "号窗口";
  }

  // The same sentence as the offline clips shipped with the app (hotline/hall/voice.py).
  function clips(number, windowNumber) {
    var names = ["qing"];
    number.split("").forEach(function (ch) {
      if (/[0-9]/.test(ch)) names.push("d" + ch);
      else if (/[A-Z]/.test(ch)) names.push("l" + ch);
    });
    names.push("hao", "dao");
    var n = parseInt(windowNumber, 10);
    if (n >= 20) names.push("d" + Math.floor(n / 10), "shi");
    else if (n >= 10) names.push("shi");
    if (n % 10 !== 0 || n === 0) names.push("d" + (n % 10));
    names.push("chuangkou");
    return names;
  }

  // The mainland Mandarin voice (zh-CN, zh-Hans, cmn-CN …), never the first "zh…" one: a system
  // with a Cantonese (zh-HK) or Taiwanese (zh-TW) voice listed first would call in that. With
  // none, the shipped clips are played.
  function chineseVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").replace(/_/g, "-");
      if (/^(zh|cmn)-(Hans(-CN)?|CN)$/i.test(lang)) return voices[i];
    }
    return null;
  }

  var queue = [];
  var playing = false;
  var speaking = null;
  // One announcement is given this long at most. Chromium may never fire an utterance's end
  // (a known bug: the utterance collected, the engine stalled): the queue waited for it, and
  // every later call on the board went unspoken.
  var ANNOUNCEMENT_MS = 10000;
  function playNext(base) {
    if (playing || !queue.length) return;
    playing = true;
    var item = queue.shift();
    var voice = chineseVoice();
    var finished = false;
    var watchdog = null;
    var done = function () {
      if (finished) return; // the end came after the watchdog: the next one is already on
      finished = true;
      window.clearTimeout(watchdog);
      speaking = null;
      playing = false;
      playNext(base);
    };
    watchdog = window.setTimeout(done, ANNOUNCEMENT_MS);
    if (voice) {
      var utterance = new SpeechSynthesisUtterance(item.text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.onend = done;
      utterance.onerror = done;
      speaking = utterance; // held, so that it is not collected before its end fires
      window.speechSynthesis.speak(utterance);
      return;
    }
    var parts = item.clips.slice();
    (function one() {
      if (finished) return; // given up on by the watchdog: the rest of the clips not played
      if (!parts.length) return done();
      var audio = new Audio(base + parts.shift() + ".wav");
      audio.onended = one;
      audio.onerror = one;
      audio.play().catch(one);
    })();
  }

  function setUpBoard(root) {
    var base = root.getAttribute("data-voice-base");
    var log = document.querySelector("[data-testid=announced]");
    var seen = -1;
    var enabled = false;
    function scan(initial) {
      var found = [];
      root.querySelectorAll("[data-call]").forEach(function (el) {
        var id = parseInt(el.getAttribute("data-event-id"), 10);
        if (id > seen) found.push(el);
      });
      found.sort(function (a, b) {
        return parseInt(a.getAttribute("data-event-id"), 10) - parseInt(b.getAttribute("data-event-id"), 10);
      });
      found.forEach(function (el) {
        var id = parseInt(el.getAttribute("data-event-id"), 10);
        seen = Math.max(seen, id);
        if (initial) return; // what was called before the display started is not repeated
        var number = el.getAttribute("data-number");
        var windowNumber = el.getAttribute("data-window");
        var text = sentence(number, windowNumber);
        if (log) {
          var li = document.createElement("li");
          li.textContent = text;
          li.setAttribute("data-event-id", id);
          log.insertBefore(li, log.firstChild);
        }
        if (enabled) {
          queue.push({ text: text, clips: clips(number, windowNumber) });
          playNext(base);
        }
      });
    }
    scan(true);
    document.body.addEventListener("htmx:afterSwap", function () { scan(false); });
    var button = document.querySelector("[data-enable-voice]");
    if (button) {
      button.addEventListener("click", function () {
        enabled = true;
        button.setAttribute("aria-pressed", "true");
        button.classList.add("on");
      });
    }
  }

  // A <select data-autosubmit> submits its form (the booking page's matter); no inline handlers.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit") && e.target.form) {
      e.target.form.submit();
    }
  });

  // "My place": the ticket's state as a screen reader should hear it when it changes (called
  // to a window, set aside, no-show, served); a new wait estimate alone is not news.
  function placeState(place) {
    var state = place.querySelector("[data-testid=place-state]");
    if (!state) return { key: "", text: "" };
    return {
      // The state, the notes it carries (transferred, set aside, closing …) and, once called,
      // the window: not the count ahead or the estimate, which change every few polls.
      key: [state.getAttribute("data-state")].concat(
        Array.prototype.map.call(state.querySelectorAll("[data-testid]"), function (e) {
          return e.getAttribute("data-testid");
        }),
        state.getAttribute("data-state") === "called" ? [state.textContent.trim()] : []
      ).join("|"),
      text: state.textContent.replace(/\s+/g, " ").trim()
    };
  }
  function setUpPlace(place, news) {
    var last = placeState(place).key;
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target !== place) return;
      var now = placeState(place);
      if (now.key !== last && now.text) news.textContent = now.text;
      last = now.key;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-board]");
    if (root) setUpBoard(root);
    var place = document.querySelector("[data-place]");
    var news = document.querySelector("[data-place-news]");
    if (place && news) setUpPlace(place, news);
    if (document.body.hasAttribute("data-autoprint")) window.setTimeout(function () { window.print(); }, 300);
    // The kiosk's ticket page goes back to the kiosk by itself: the next citizen must not find
    // the last one's ticket on the screen (replace: Back does not bring it again either).
    var back = document.body.getAttribute("data-return");
    if (back) {
      var seconds = parseInt(document.body.getAttribute("data-return-after"), 10) || 20;
      window.setTimeout(function () { window.location.replace(back); }, seconds * 1000);
    }
    // A kiosk form left with what a citizen typed (their mobile number, their name, an error
    // about them) and nobody touching it: the page starts afresh, so the next citizen neither
    // reads it nor takes a ticket in the last one's name. Any touch or key starts the wait again.
    // A page with nothing to type (the ticket kiosk closed, opened from a self-service kiosk)
    // marks an element instead of its form: it goes home all the same.
    var form = document.querySelector("[data-idle-reset]");
    if (form) {
      var idleSeconds = parseInt(form.getAttribute("data-idle-after"), 10) || 60;
      var idleTimer = null;
      var typed = function () {
        if (document.querySelector("[role=alert]")) return true;
        return Array.prototype.some.call(form.elements || [], function (el) {
          if (el.type === "text" || el.type === "tel") return el.value !== "";
          if (el.type === "checkbox") return el.checked;
          if (el.type === "radio") return el.checked && !el.defaultChecked;
          return false;
        });
      };
      var arm = function () {
        window.clearTimeout(idleTimer);
        idleTimer = window.setTimeout(function () {
          // Opened from a self-service kiosk (data-idle-home): back to it even untouched,
          // or that machine would stay on this page.
          var home = form.getAttribute("data-idle-home");
          if (home) window.location.replace(home);
          else if (typed()) window.location.replace(form.getAttribute("data-idle-reset"));
          else arm();
        }, idleSeconds * 1000);
      };
      ["pointerdown", "keydown", "input", "change"].forEach(function (name) {
        document.addEventListener(name, arm, true);
      });
      arm();
    }
    // The booking code's "Send again": offered once the minute since the last code has passed
    // (the server refuses sooner ones); the seconds left show on the button meanwhile.
    document.querySelectorAll("button[data-wait]").forEach(function (b) {
      var left = parseInt(b.getAttribute("data-wait"), 10) || 0;
      var label = b.textContent;
      var tick = function () {
        if (left <= 0) { b.disabled = false; b.textContent = label; return; }
        b.disabled = true;
        b.textContent = label + " (" + left + ")";
        left -= 1;
        window.setTimeout(tick, 1000);
      };
      tick();
    });
  });
  window.hallVoice = { sentence: sentence, clips: clips };
})();
