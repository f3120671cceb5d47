// studio:<id>: the studio page's activity feed, description and member table.

import { toast } from "./ui.js";

const activity = document.querySelector("[data-studio-activity]");
const activityLabels = {
  "studio.member_added": (data) => `+ ${data.member.name} (${data.member.role_label})`,
  "studio.member_removed": (data) => `− ${data.name}`,
  "studio.updated": () => activity?.dataset.labelUpdated || "✎",
  "studio.delisted": (data) => `⚠ ${data.reason}`,
  "studio.reinstated": () => "✓",
  "studio.renamed": (data) => `${data.old_name} → ${data.name}`,
  "studio.leader_changed": (data) => `${data.old_leader.name} → ${data.leader.name}`,
  "studio.moved": (data) => `${data.old_unit.name} → ${data.unit.name}`,
  "studio.reclassified": (data) => `${data.type_label} · ${data.level_label}`,
  "studio.title_conferred": (data) => `★ ${data.year}`,
  "studio.title_revoked": (data) => `✕ ${data.year}: ${data.reason}`,
};

function showUpdate(data) {
  const description = document.querySelector("[data-studio-description]");
  if (description) description.textContent = data.description;
  const fields = document.querySelector("[data-studio-fields]");
  if (fields) fields.textContent = data.fields.join("、") || "—";
}

export function onEvent(frame) {
  const label = activityLabels[frame.event];
  if (activity && label) {
    activity.querySelector("[data-empty]")?.remove();
    const item = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    item.append(time, " ", label(frame.data));
    activity.prepend(item);
  }
  if (frame.event === "studio.updated") showUpdate(frame.data);
  // htmx reloads the member table (hx-trigger="rt-studio-changed from:body").
  document.body.dispatchEvent(new CustomEvent("rt-studio-changed"));
}

export function onUnsubscribed(frame) {
  if (frame.reason === "forbidden") toast(activity?.dataset.labelRevoked || "—");
}
