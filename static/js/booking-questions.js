// Progressive enhancement of the booking form's questions about paying and location; without
// it the Good Faith Estimate box is always there (its label says when it applies) and the note
// for people outside California shows on their confirmation instead.
(function () {
  "use strict";

  var form = document.querySelector(".booking-form");
  var estimate = form && form.querySelector("[data-estimate]");
  var outside = form && document.getElementById("outside-california");
  if (!estimate || !outside) {
    return;
  }
  var box = estimate.querySelector("input[type=checkbox]");

  function checked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function update() {
    // The estimate is for people not using insurance.
    var insured = checked("payment") === "insurance";
    estimate.hidden = insured;
    if (insured && box) {
      box.checked = false;
    }
    outside.hidden = checked("session_location") !== "elsewhere";
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "payment" || event.target.name === "session_location") {
      update();
    }
  });
  update();
})();
