// room:<id>: the chat pane (docs/alliances.md). History comes from the REST API when the page
// opens; live events come through realtime.js, which resubscribes with `since` after a
// reconnect, so whatever was missed is replayed. Messages are kept by id and shown in seq order,
// so a replayed or doubly delivered event never shows twice.
// A message is sent with a client_id chosen here; until its ack arrives it stays pending and is
// sent again (same client_id) after every reconnect: the server creates it once.
// Message bodies are HTML rendered and sanitised on the server; they are parsed here into an
// inert document and rebuilt from an allowlist before they reach the page.

const pane = document.querySelector("[data-chat]");
const realtime = window.realtime;

const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 4000;
const PRESENCE_EVERY_MS = 25000;
const ALLOWED = new Set(["P", "BR", "STRONG", "EM", "CODE", "PRE", "BLOCKQUOTE", "UL", "LI", "A"]);

const state = {
  messages: new Map(), // id -> message payload
  pending: new Map(), // client_id -> frame not yet acknowledged
  oldestSeq: null,
  readSeq: 0,
  lastTyping: 0,
  replyTo: null,
};

function label(name) {
  return pane.dataset[`label${name}`] || "";
}

function safeFragment(html) {
  const source = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const fragment = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(node.textContent);
      } else if (node.nodeType === Node.ELEMENT_NODE && ALLOWED.has(node.tagName)) {
        const element = document.createElement(node.tagName.toLowerCase());
        if (node.tagName === "A") {
          const href = node.getAttribute("href") || "";
          if (/^(https?:|mailto:)/i.test(href)) element.href = href;
          element.rel = "noopener nofollow";
          element.target = "_blank";
        }
        copy(node, element);
        to.append(element);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        to.append(node.textContent);
      }
    }
  };
  copy(source, fragment);
  return fragment;
}

function timeOf(iso) {
  const time = document.createElement("time");
  time.dateTime = iso;
  time.textContent = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return time;
}

function button(text, action) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "link-button";
  element.textContent = text;
  element.addEventListener("click", action);
  return element;
}

function renderMessage(message) {
  const item = document.createElement("li");
  item.className = "chat-message";
  item.dataset.messageId = String(message.id);
  item.dataset.seq = String(message.seq);
  if (message.sender.id === Number(pane.dataset.userId)) item.classList.add("mine");
  const head = document.createElement("p");
  head.className = "chat-head";
  const who = document.createElement("strong");
  who.textContent = message.sender.name;
  head.append(who, " ", timeOf(message.created_at));
  if (message.edited && !message.deleted) {
    const edited = document.createElement("span");
    edited.className = "chat-edited";
    edited.textContent = ` (${label("Edited")})`;
    head.append(edited);
  }
  item.append(head);
  if (message.reply_to) {
    const quote = document.createElement("p");
    quote.className = "chat-reply muted";
    quote.textContent = `↪ ${message.reply_to.sender}: ${message.reply_to.excerpt}`;
    item.append(quote);
  }
  const body = document.createElement("div");
  body.className = "chat-body";
  if (message.deleted) {
    body.classList.add("muted");
    body.textContent = label("Deleted");
  } else {
    body.append(safeFragment(message.html));
  }
  item.append(body);
  if (!message.deleted && message.attachments.length) {
    const files = document.createElement("ul");
    files.className = "chat-files";
    for (const file of message.attachments) {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      if (file.url.startsWith("/")) link.href = file.url;
      link.textContent = `📎 ${file.name}`;
      entry.append(link);
      files.append(entry);
    }
    item.append(files);
  }
  if (!message.deleted) {
    const tools = document.createElement("p");
    tools.className = "chat-tools";
    tools.append(button(label("Reply"), () => startReply(message)));
    const mine = message.sender.id === Number(pane.dataset.userId);
    if (mine) tools.append(" ", button(label("Edit"), () => editMessage(message)));
    if (mine || pane.dataset.moderator === "true") tools.append(" ", button(label("Delete"), () => deleteMessage(message)));
    item.append(tools);
  }
  return item;
}

const log = pane?.querySelector("[data-chat-log]");

function show(message) {
  state.messages.set(message.id, message);
  const existing = log.querySelector(`[data-message-id="${message.id}"]`);
  const item = renderMessage(message);
  if (existing) {
    existing.replaceWith(item);
    return;
  }
  if (message.client_id) log.querySelector(`[data-client-id="${CSS.escape(message.client_id)}"]`)?.remove();
  // In seq order, whatever order the messages arrive in (history, replay, live).
  const later = [...log.querySelectorAll("[data-seq]")].find((other) => Number(other.dataset.seq) > message.seq);
  const stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.insertBefore(item, later || log.querySelector("[data-client-id]"));
  log.querySelector("[data-empty]")?.remove();
  if (stickToBottom || message.sender.id === Number(pane.dataset.userId)) log.scrollTop = log.scrollHeight;
  if (state.oldestSeq === null || message.seq < state.oldestSeq) state.oldestSeq = message.seq;
}

function markRead() {
  if (document.hidden || !pane) return;
  const newest = Math.max(0, ...[...state.messages.values()].map((message) => message.seq));
  if (newest > state.readSeq) {
    state.readSeq = newest;
    realtime?.send({ type: "read", topic: pane.dataset.liveTopic, seq: newest });
  }
}

async function loadHistory(before) {
  const url = new URL(pane.dataset.historyUrl, window.location.origin);
  if (before) url.searchParams.set("before", String(before));
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const page = await response.json();
  for (const message of page.messages) show(message);
  const older = pane.querySelector("[data-chat-older]");
  older.hidden = !page.more;
  if (!before) log.scrollTop = log.scrollHeight;
  markRead();
}

function sendFrame(frame) {
  state.pending.set(frame.client_id, frame);
  realtime?.send(frame);
}

function showPending(clientId, text) {
  const item = document.createElement("li");
  item.className = "chat-message mine pending";
  item.dataset.clientId = clientId;
  const body = document.createElement("div");
  body.className = "chat-body";
  body.textContent = text;
  const status = document.createElement("p");
  status.className = "chat-status muted";
  status.textContent = label("Sending");
  item.append(body, status);
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

function startReply(message) {
  state.replyTo = message.id;
  const holder = pane.querySelector("[data-chat-reply]");
  holder.hidden = false;
  holder.querySelector("[data-chat-reply-text]").textContent = `↪ ${message.sender.name}: ${message.body.slice(0, 60)}`;
  pane.querySelector("textarea").focus();
}

function cancelReply() {
  state.replyTo = null;
  pane.querySelector("[data-chat-reply]").hidden = true;
}

function editMessage(message) {
  const body = window.prompt(label("Edit"), message.body);
  if (body === null || body.trim() === "" || body === message.body) return;
  realtime?.send({ type: "message.edit", topic: pane.dataset.liveTopic, id: message.id, body });
}

function deleteMessage(message) {
  if (!window.confirm(label("ConfirmDelete"))) return;
  realtime?.send({ type: "message.delete", topic: pane.dataset.liveTopic, id: message.id });
}

async function upload(file) {
  const data = new FormData();
  data.append("file", file);
  const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  const response = await fetch(pane.dataset.uploadUrl, {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { "X-CSRFToken": token },
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.file?.[0] || answer.detail || response.statusText);
  return answer.id;
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const textarea = form.querySelector("textarea");
  const fileInput = form.querySelector("[type=file]");
  const text = textarea.value;
  const error = pane.querySelector("[data-chat-error]");
  error.textContent = "";
  if (!text.trim() && !fileInput?.files.length) return;
  let attachments = [];
  try {
    if (fileInput?.files.length) attachments = [await upload(fileInput.files[0])];
  } catch (failure) {
    error.textContent = failure.message;
    return;
  }
  const clientId = crypto.randomUUID();
  const frame = {
    type: "message.send",
    topic: pane.dataset.liveTopic,
    client_id: clientId,
    body: text,
    reply_to: state.replyTo,
    attachments,
  };
  showPending(clientId, text);
  sendFrame(frame);
  textarea.value = "";
  if (fileInput) fileInput.value = "";
  cancelReply();
}

function showTyping(name) {
  const holder = pane.querySelector("[data-chat-typing]");
  holder.textContent = `${name} ${label("Typing")}`;
  clearTimeout(showTyping.timer);
  showTyping.timer = setTimeout(() => {
    holder.textContent = "";
  }, TYPING_SHOWN_MS);
}

function showOnline(people) {
  const holder = pane.querySelector("[data-chat-presence]");
  holder.textContent = `${label("Online")}: ${people.map((person) => person.name).join("、") || "—"}`;
}

function sendPresence(state = "online") {
  realtime?.send({ type: "presence", topic: pane.dataset.liveTopic, state, ref: "presence" });
}

// Called by live.js for frames of room:<id> topics.
export function onEvent(frame) {
  if (!pane || frame.topic !== pane.dataset.liveTopic) return;
  const data = frame.data;
  if (frame.event === "message.created") {
    state.pending.delete(data.client_id);
    show(data);
    markRead();
  } else if (frame.event === "message.edited" || frame.event === "message.deleted") {
    const message = state.messages.get(data.id);
    if (!message) return;
    if (frame.event === "message.edited") Object.assign(message, { body: data.body, html: data.html, edited: true });
    else Object.assign(message, { body: "", html: "", deleted: true, attachments: [] });
    show(message);
  }
}

export function onEphemeral(frame) {
  if (!pane || frame.topic !== pane.dataset.liveTopic) return;
  if (frame.event === "typing") showTyping(frame.data.name);
  if (frame.event === "presence") showOnline(frame.data.online);
}

export function onUnsubscribed(frame) {
  if (!pane || frame.topic !== pane.dataset.liveTopic || frame.reason !== "forbidden") return;
  pane.querySelector("[data-chat-form]")?.remove();
  pane.querySelector("[data-chat-error]").textContent = label("Revoked");
}

export function onResync() {
  // More was missed than the server replays: the history API is the fresh state.
  if (pane) loadHistory();
}

if (pane) {
  const body = document.body;
  const banner = pane.querySelector("[data-chat-banner]");
  body.addEventListener("rt:status", (event) => {
    banner.hidden = event.detail.status === "live" || event.detail.status === "connecting";
  });
  body.addEventListener("rt:subscribed", (event) => {
    if (event.detail.topic !== pane.dataset.liveTopic) return;
    banner.hidden = true;
    // Whatever was not acknowledged goes again, with the same client_id: created once.
    for (const frame of state.pending.values()) realtime.send(frame);
    sendPresence();
  });
  body.addEventListener("rt:ack", (event) => {
    const frame = event.detail;
    if (frame.ref === "presence" && frame.online) showOnline(frame.online);
    if (frame.client_id && state.pending.has(frame.client_id)) {
      state.pending.delete(frame.client_id);
      const item = log.querySelector(`[data-client-id="${CSS.escape(String(frame.client_id))}"] .chat-status`);
      if (item) item.textContent = label("Sent");
    }
  });
  body.addEventListener("rt:error", (event) => {
    const frame = event.detail;
    if (!frame.client_id || !state.pending.has(frame.client_id)) {
      if (frame.code !== "rate_limited") pane.querySelector("[data-chat-error]").textContent = frame.detail;
      return;
    }
    if (frame.code === "server_error" || frame.code === "rate_limited") return; // sent again later
    state.pending.delete(frame.client_id);
    log.querySelector(`[data-client-id="${CSS.escape(String(frame.client_id))}"]`)?.classList.add("failed");
    pane.querySelector("[data-chat-error]").textContent = frame.detail;
  });
  const form = pane.querySelector("[data-chat-form]");
  form?.addEventListener("submit", submit);
  const textarea = form?.querySelector("textarea");
  textarea?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  textarea?.addEventListener("input", () => {
    const now = Date.now();
    if (now - state.lastTyping > TYPING_EVERY_MS) {
      state.lastTyping = now;
      realtime?.send({ type: "typing", topic: pane.dataset.liveTopic });
    }
  });
  pane.querySelector("[data-chat-reply-cancel]")?.addEventListener("click", cancelReply);
  pane.querySelector("[data-chat-older]").addEventListener("click", () => loadHistory(state.oldestSeq));
  document.addEventListener("visibilitychange", markRead);
  setInterval(sendPresence, PRESENCE_EVERY_MS);
  loadHistory();
}
