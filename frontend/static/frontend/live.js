// The page's live parts: the notification bell, the notification list, the studio activity feed.
// Everything is built with DOM APIs and textContent, never innerHTML, so event data is never markup.

const body = document.body;

function setUnread(count) {
  for (const badge of document.querySelectorAll("[data-unread-count]")) {
    badge.textContent = String(count);
    badge.classList.toggle("is-empty", count === 0);
  }
}

function toast(text, url) {
  const holder = document.querySelector("[data-toasts]");
  if (!holder) return;
  const item = document.createElement(url ? "a" : "div");
  item.className = "toast";
  item.textContent = text;
  if (url) item.href = url;
  holder.append(item);
  setTimeout(() => item.remove(), 6000);
}

function safeUrl(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "";
}

body.addEventListener("rt-notification-created", (event) => {
  const { notification, unread } = event.detail.data;
  setUnread(unread);
  const url = safeUrl(notification.url);
  toast(notification.title, url);
  const list = document.querySelector("[data-notification-list]");
  const template = document.querySelector("[data-notification-template]");
  if (list && template && !list.querySelector(`[data-notification-id="${notification.id}"]`)) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.notificationId = String(notification.id);
    const link = item.querySelector(".notification-title");
    link.textContent = notification.title;
    if (url) link.href = url;
    else link.removeAttribute("href");
    item.querySelector(".notification-body").textContent = notification.body || "";
    const time = item.querySelector("time");
    time.dateTime = notification.created_at;
    time.textContent = new Date(notification.created_at).toLocaleString();
    list.querySelector("[data-empty]")?.remove();
    list.prepend(item);
  }
});

body.addEventListener("rt-notification-read", (event) => {
  const { ids, unread } = event.detail.data;
  setUnread(unread);
  for (const id of ids) {
    document.querySelector(`[data-notification-id="${id}"]`)?.classList.remove("unread");
  }
});

const activity = document.querySelector("[data-studio-activity]");
const activityLabels = {
  "studio.member_added": (data) => `+ ${data.member.name} (${data.member.role_label})`,
  "studio.member_removed": (data) => `− ${data.name}`,
  "studio.updated": () => activity?.dataset.labelUpdated || "✎",
  "studio.delisted": (data) => `⚠ ${data.reason}`,
  "studio.reinstated": () => "✓",
};

body.addEventListener("rt:event", (event) => {
  const frame = event.detail;
  if (!frame.topic.startsWith("studio:")) return;
  const label = activityLabels[frame.event];
  if (activity && label) {
    activity.querySelector("[data-empty]")?.remove();
    const item = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    item.append(time, " ", label(frame.data));
    activity.prepend(item);
  }
  if (frame.event === "studio.updated") {
    const description = document.querySelector("[data-studio-description]");
    if (description) description.textContent = frame.data.description;
    const fields = document.querySelector("[data-studio-fields]");
    if (fields) fields.textContent = frame.data.fields.join("、") || "—";
  }
  // htmx reloads the member table (hx-trigger="rt-studio-changed from:body").
  body.dispatchEvent(new CustomEvent("rt-studio-changed"));
});

body.addEventListener("rt:resync", () => {
  // More was missed than the server replays: the page itself is the REST reload.
  window.location.reload();
});

body.addEventListener("rt:unsubscribed", (event) => {
  if (event.detail.reason === "forbidden" && event.detail.topic.startsWith("studio:")) {
    toast(activity?.dataset.labelRevoked || "—");
  }
});
