// Small helpers shared by the live modules.

export function toast(text, url) {
  const holder = document.querySelector("[data-toasts]");
  if (!holder) return;
  const item = document.createElement(url ? "a" : "div");
  item.className = "toast";
  item.textContent = text;
  if (url) item.href = url;
  holder.append(item);
  setTimeout(() => item.remove(), 6000);
}

// Only same-site paths become links: event data never decides where a click goes.
export function safeUrl(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "";
}
