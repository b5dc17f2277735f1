// Progressive enhancement for every public page; everything works without it.
(function () {
  "use strict";

  // --- "Leave this site quickly" (GOV.UK's "Exit this page" pattern) ----------------------------
  // The link replaces this page in the tab's history, so Back does not return here, and Shift
  // pressed three times in a row (within five seconds) does the same from anywhere on the page.
  var exitLink = document.querySelector("[data-quick-exit]");
  if (exitLink) {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    exitLink.parentNode.appendChild(status);

    var leave = function () {
      document.documentElement.classList.add("is-leaving");
      window.location.replace(exitLink.href);
    };
    exitLink.addEventListener("click", function (event) {
      if (event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        leave();
      }
    });

    var presses = 0;
    var timer = null;
    var chord = false; // Shift held for a capital letter, not pressed on its own
    var reset = function () {
      presses = 0;
      status.textContent = "";
    };
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") {
        chord = event.shiftKey;
        reset();
      }
    });
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") {
        return;
      }
      if (chord) {
        chord = false;
        return;
      }
      presses += 1;
      window.clearTimeout(timer);
      timer = window.setTimeout(reset, 5000);
      if (presses >= 3) {
        status.textContent = "Leaving this site.";
        leave();
      } else {
        status.textContent = "Shift, press " + (3 - presses) + " more time" + (presses === 2 ? "" : "s") + " to leave this site.";
      }
    });
    // A page restored from the back/forward cache must not stay hidden.
    window.addEventListener("pageshow", function () {
      document.documentElement.classList.remove("is-leaving");
      reset();
    });
  }

  // --- Panels open on wide screens ----------------------------------------------------------
  // The menu and the filter panels are <details>: collapsed on phones, laid open from the width
  // in their data-wide-open by the stylesheet (::details-content). Browsers without that
  // selector get them opened here instead.
  if (window.matchMedia && window.CSS && !CSS.supports("selector(::details-content)")) {
    document.querySelectorAll("details[data-wide-open]").forEach(function (panel) {
      var wide = window.matchMedia("(min-width: " + panel.getAttribute("data-wide-open") + ")");
      var openedByPage = panel.open;
      var sync = function () {
        panel.open = wide.matches || openedByPage;
      };
      sync();
      wide.addEventListener("change", sync);
    });
  }

  // --- Error summary (GOV.UK's pattern) -------------------------------------------------------
  // The summary takes focus when the page loads (autofocus does it without script in most
  // browsers); its links move focus to the field itself, with its label in view.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    if (document.activeElement !== summary) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      // A group of radios or checkboxes: the first one that can take focus.
      var field = target.matches("input, select, textarea, button")
        ? target
        : Array.prototype.find.call(target.querySelectorAll("input:not([type=hidden]), select, textarea"), function (input) {
            return input.offsetParent !== null;
          });
      if (!field) {
        return;
      }
      event.preventDefault();
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      var label = document.querySelector("label[for='" + field.id + "']");
      (legend || label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();
