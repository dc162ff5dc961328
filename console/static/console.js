// ikimina console: a few comforts on top of pages that work without JavaScript.
(function () {
  "use strict";

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  // Broadcast composer: the preview panel follows the form as it is filled in.
  var composer = document.getElementById("composer");
  if (composer) {
    var panel = document.getElementById("preview");
    var timer = null;
    var update = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var data = new FormData(composer);
        data.delete("csrf_token");
        getJson(composer.dataset.preview + "?" + new URLSearchParams(data)).then(function (j) {
          if (j) { panel.innerHTML = j.html; }
        });
      }, 350);
    };
    composer.addEventListener("input", update);
    composer.addEventListener("change", update);
    update();
  }

  // Broadcast page: delivery counts refresh every few seconds while it is sending.
  var delivery = document.querySelector("[data-progress]");
  if (delivery) {
    var poll = function () {
      getJson(delivery.dataset.progress).then(function (j) {
        if (!j) { return; }
        var c = j.counts;
        Object.keys(c).forEach(function (k) {
          var cell = delivery.querySelector('[data-count="' + k + '"]');
          if (cell) { cell.textContent = c[k]; }
        });
        document.querySelector('[data-count="recipients"]').textContent = j.recipients;
        var status = document.querySelector("#broadcast-status .status");
        status.textContent = j.status_label;
        status.className = "status s-" + j.status;
        var bar = delivery.querySelector("[data-progress-bar]");
        bar.max = c.total || 1;
        bar.value = c.total - c.queued - c.sending;
        var handed = c.sent + c.delivered + c.failed;
        delivery.querySelector("[data-rate]").textContent =
          handed ? Math.round(100 * c.delivered / handed) + "%" : "-";
        if (j.live) {
          setTimeout(poll, 3000);
        } else {
          var live = document.getElementById("live");
          if (live) { live.remove(); }
          delivery.dataset.done = "1";
        }
      });
    };
    setTimeout(poll, 1500);
  }

  // Phone simulator: keypad keys type into the reply box; the SMS thread refreshes itself.
  document.querySelectorAll("[data-keypad]").forEach(function (pad) { pad.hidden = false; });
  document.querySelectorAll("[data-key]").forEach(function (key) {
    key.addEventListener("click", function () {
      var input = document.getElementById(key.dataset.target);
      input.value += key.dataset.key;
      input.focus();
    });
  });
  var thread = document.querySelector("[data-thread]");
  if (thread) {
    var rounds = 0;
    var reload = function () {
      fetch(thread.dataset.thread, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null && html !== thread.innerHTML) { thread.innerHTML = html; }
          rounds += 1;
          if (rounds < 40) { setTimeout(reload, 3000); }
        });
    };
    setTimeout(reload, 2000);
  }
})();
