// Every file input of the platform says its limit (data-max-bytes) and what to say when a file is
// over it (data-too-large), both from the upload policy (platform_core/uploads.py). A file over the
// limit is refused here, beside the input, before the browser sends megabytes the server refuses.

const INPUTS = "input[type=file][data-max-bytes]";

function messageFor(input) {
  let note = input.parentElement.querySelector(":scope > [data-upload-error]");
  if (!note) {
    note = document.createElement("p");
    note.className = "error";
    note.setAttribute("role", "alert");
    note.dataset.uploadError = "";
    input.after(note);
  }
  return note;
}

function check(input) {
  const limit = Number(input.dataset.maxBytes);
  const tooLarge = Array.from(input.files || []).some((file) => file.size > limit);
  const message = tooLarge ? input.dataset.tooLarge : "";
  // The form cannot be sent while this is set: the browser shows it on submit too.
  input.setCustomValidity(message);
  const existing = input.parentElement.querySelector(":scope > [data-upload-error]");
  if (tooLarge || existing) {
    const note = messageFor(input);
    note.textContent = message;
    note.hidden = !tooLarge;
  }
  return !tooLarge;
}

document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.matches(INPUTS)) check(event.target);
});

// A form sent by script (requestSubmit, or a page that skips the browser's validation) is held too.
document.addEventListener(
  "submit",
  (event) => {
    for (const input of event.target.querySelectorAll(INPUTS)) {
      if (!check(input)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        input.focus();
        return;
      }
    }
  },
  true,
);
