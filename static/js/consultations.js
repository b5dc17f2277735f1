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
  document.querySelectorAll("time[data-slot-time]").forEach(function (time) {
    var instant = new Date(time.getAttribute("datetime"));
    if (isNaN(instant.getTime())) {
      return;
    }
    var span = document.createElement("span");
    span.className = "slot__visitor-time";
    span.textContent = " (" + format.format(instant) + " your time)";
    time.insertAdjacentElement("afterend", span);
  });
  document.querySelectorAll("[data-visitor-tz]").forEach(function (note) {
    note.textContent = " Your own time (" + visitorZone + ") is shown in brackets.";
    note.hidden = false;
  });
})();
