// inquiry:<id>: the inquiry page's status, changed by the other party, shown without a reload.

import { toast } from "./ui.js";

export function onEvent(frame) {
  if (frame.event === "inquiry.status_changed") {
    const status = document.querySelector("[data-inquiry-status]");
    if (status) {
      status.textContent = frame.data.status_label;
      status.className = `tag status-${frame.data.status}`;
    }
    const note = document.querySelector("[data-inquiry-note]");
    if (note) note.textContent = frame.data.status_note;
    toast(frame.data.status_label);
  }
  // A recorded case or a status that changes the forms on offer: the page is the fresh state.
  if (frame.event === "inquiry.case_recorded") window.location.reload();
}
