// user:<id>: the notification bell and the notification list.

import { safeUrl, toast } from "./ui.js";

function setUnread(count) {
  for (const badge of document.querySelectorAll("[data-unread-count]")) {
    badge.textContent = String(count);
    badge.classList.toggle("is-empty", count === 0);
  }
}

// The event carries the text in every language; the page shows its own (<html lang>), else the
// platform's (title/body).
function localText(notification) {
  const text = notification.texts?.[document.documentElement.lang];
  return text?.title ? text : { title: notification.title, body: notification.body };
}

function notificationCreated({ notification, unread }) {
  setUnread(unread);
  const url = safeUrl(notification.url);
  const text = localText(notification);
  toast(text.title, url);
  const list = document.querySelector("[data-notification-list]");
  const template = document.querySelector("[data-notification-template]");
  if (!list || !template || list.querySelector(`[data-notification-id="${notification.id}"]`)) return;
  const item = template.content.firstElementChild.cloneNode(true);
  item.dataset.notificationId = String(notification.id);
  const link = item.querySelector(".notification-title");
  link.textContent = text.title;
  if (url) link.href = url;
  else link.removeAttribute("href");
  item.querySelector(".notification-body").textContent = text.body || "";
  const time = item.querySelector("time");
  time.dateTime = notification.created_at;
  time.textContent = new Date(notification.created_at).toLocaleString();
  list.querySelector("[data-empty]")?.remove();
  list.prepend(item);
}

function notificationRead({ ids, unread }) {
  setUnread(unread);
  for (const id of ids) {
    document.querySelector(`[data-notification-id="${id}"]`)?.classList.remove("unread");
  }
}

// A read marker moved (in this tab or another): the navigation's chat badge.
function roomRead({ total }) {
  for (const badge of document.querySelectorAll("[data-chat-unread]")) {
    badge.textContent = String(total);
    badge.classList.toggle("is-empty", total === 0);
  }
}

const handlers = {
  "notification.created": notificationCreated,
  "notification.read": notificationRead,
  "room.read": roomRead,
};

export function onEvent(frame) {
  handlers[frame.event]?.(frame.data);
}
