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

  // Each day of bookable times is a .slot-day: radios whose value is the UTC start, and
  // "call us" times that carry a <time>.
  var days = document.querySelectorAll(".slot-day");
  if (!days.length) {
    return;
  }
  // Visitors on Pacific time (the practice's: UTC-8 in January, UTC-7 in July) need nothing
  // more. Date's own local-time methods are used rather than Intl.DateTimeFormat, whose locale
  // data costs a phone a few hundred milliseconds of blocked main thread on first use.
  var year = new Date().getFullYear();
  if (new Date(year, 0, 1).getTimezoneOffset() === 480 && new Date(year, 6, 1).getTimezoneOffset() === 420) {
    return;
  }
  // The zone's name as the browser spells it, e.g. "(Central European Standard Time)".
  var zone = /\(([^)]+)\)$/.exec(new Date().toString());
  document.querySelectorAll("[data-visitor-tz]").forEach(function (note) {
    note.textContent = " Your own time" + (zone ? " (" + zone[1] + ")" : "") + " is shown in brackets.";
    note.hidden = false;
  });

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
  function showVisitorTimes(day) {
    if (day.hasAttribute("data-visitor-times")) {
      return;
    }
    day.setAttribute("data-visitor-times", "");
    day.querySelectorAll("input[type=radio]").forEach(function (radio) {
      var span = visitorTime(radio.value);
      if (span) {
        radio.parentNode.appendChild(span);
      }
    });
    day.querySelectorAll("time[data-slot-time]").forEach(function (time) {
      var span = visitorTime(time.getAttribute("datetime"));
      if (span) {
        time.insertAdjacentElement("afterend", span);
      }
    });
  }

  // A week holds a few hundred times: adding the visitor's time to all of them at once blocked a
  // phone's main thread for ~100 ms, so each day gets them as it nears the viewport (the margin
  // lets that happen before it is seen) or when the keyboard reaches one of its times.
  days.forEach(function (day) {
    day.addEventListener("focusin", function () {
      showVisitorTimes(day);
    });
  });
  if (!("IntersectionObserver" in window)) {
    days.forEach(showVisitorTimes);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          showVisitorTimes(entry.target);
        }
      });
    },
    { rootMargin: "50% 0px" }
  );
  days.forEach(function (day) {
    observer.observe(day);
  });
})();
