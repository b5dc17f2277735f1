// Progressive enhancement for the consultation pages; everything works without it.
(function () {
  "use strict";

  // "Leave this site quickly": replace this page in the history so Back does not return here.
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });

  // Bookable times are radios whose value is the UTC start; "call us" times carry a <time>.
  var radios = document.querySelectorAll(".slot-day__list input[type=radio]");
  var times = document.querySelectorAll("time[data-slot-time]");
  if (!radios.length && !times.length) {
    return;
  }
  // Visitors on Pacific time (the practice's: UTC-8 in January, UTC-7 in July) need nothing
  // more. Date's own local-time methods are used rather than Intl.DateTimeFormat, whose locale
  // data costs a phone a few hundred milliseconds of blocked main thread on first use.
  var year = new Date().getFullYear();
  if (new Date(year, 0, 1).getTimezoneOffset() === 480 && new Date(year, 6, 1).getTimezoneOffset() === 420) {
    return;
  }
  var weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  // " (Fri 5:00 PM your time)" for a UTC instant, or null for anything unreadable.
  function visitorTime(value) {
    var instant = new Date(value);
    if (isNaN(instant.getTime())) {
      return null;
    }
    var hours = instant.getHours();
    var minutes = String(instant.getMinutes()).padStart(2, "0");
    var span = document.createElement("span");
    span.className = "slot__visitor-time";
    span.textContent = " (" + weekdays[instant.getDay()] + " " + (hours % 12 || 12) + ":" + minutes + (hours < 12 ? " AM" : " PM") + " your time)";
    return span;
  }
  radios.forEach(function (radio) {
    var span = visitorTime(radio.value);
    if (span) {
      radio.parentNode.appendChild(span);
    }
  });
  times.forEach(function (time) {
    var span = visitorTime(time.getAttribute("datetime"));
    if (span) {
      time.insertAdjacentElement("afterend", span);
    }
  });
  // The zone's name as the browser spells it, e.g. "(Central European Standard Time)".
  var zone = /\(([^)]+)\)$/.exec(new Date().toString());
  document.querySelectorAll("[data-visitor-tz]").forEach(function (note) {
    note.textContent = " Your own time" + (zone ? " (" + zone[1] + ")" : "") + " is shown in brackets.";
    note.hidden = false;
  });
})();
