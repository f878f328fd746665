// Saves the section being edited in the background, a few seconds after the member stops
// typing, and warns before leaving the page with changes not saved yet. The server answers
// in JSON with each part's new lock; a part a teammate changed meanwhile is not written and
// the member is asked to press Save, which shows both texts. Without JavaScript the Save
// button does all of this as an ordinary form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var DELAY = 3000;
  var status = form.querySelector("[data-autosave-status]");
  var locks = form.querySelector("input[name='section_locks']");
  var dirty = false;
  var saving = false;
  var again = false;
  var timer = null;
  var submitting = false;

  function say(key) {
    if (status) {
      status.textContent = form.getAttribute("data-" + key) || "";
    }
  }

  function schedule() {
    dirty = true;
    say("unsaved");
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  function save() {
    if (!dirty || submitting) {
      return;
    }
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    dirty = false;
    say("saving");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status === 401) {
          dirty = true;
          say("signed-out");
          return null;
        }
        return response.json().then(function (body) {
          if (body && body.locks && locks) {
            locks.value = JSON.stringify(body.locks);
          }
          if (response.status === 409) {
            dirty = true;
            say("conflict");
          } else if (response.ok) {
            say(dirty ? "unsaved" : "saved");
          } else {
            dirty = true;
            say("failed");
          }
        });
      })
      .catch(function () {
        dirty = true;
        say("failed");
      })
      .then(function () {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if ((dirty || saving) && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
