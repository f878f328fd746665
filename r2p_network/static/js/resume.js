// Sends a kept form again as soon as the page loads: the member sent it once already and has
// just signed in again to finish. Without JavaScript the "Send it now" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-resume]");
  if (!form) {
    return;
  }
  var status = document.querySelector("[data-resume-status]");
  if (status) {
    status.textContent = form.getAttribute("data-sending");
  }
  form.submit();
})();
