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

  // Show each time in the visitor's own time zone too, when it differs from the practice's.
  var practiceZone = "America/Los_Angeles";
  var visitorZone;
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!visitorZone || visitorZone === practiceZone) {
    return;
  }
  var format = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", weekday: "short" });
  function visitorTime(value) {
    var instant = new Date(value);
    if (isNaN(instant.getTime())) {
      return null;
    }
    var span = document.createElement("span");
    span.className = "slot__visitor-time";
    span.textContent = " (" + format.format(instant) + " your time)";
    return span;
  }
  // Bookable times: the radio's value is the UTC start; "call us" times carry a <time>.
  document.querySelectorAll(".slot-day__list input[type=radio]").forEach(function (radio) {
    var span = visitorTime(radio.value);
    if (span) {
      radio.parentNode.appendChild(span);
    }
  });
  document.querySelectorAll("time[data-slot-time]").forEach(function (time) {
    var span = visitorTime(time.getAttribute("datetime"));
    if (span) {
      time.insertAdjacentElement("afterend", span);
    }
  });
  document.querySelectorAll("[data-visitor-tz]").forEach(function (note) {
    note.textContent = " Your own time (" + visitorZone + ") is shown in brackets.";
    note.hidden = false;
  });
})();
