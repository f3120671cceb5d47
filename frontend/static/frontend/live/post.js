// post:<id>: an experience post's comments (docs/exchange.md). A comment written elsewhere
// appears in its thread without a reload; one deleted or hidden leaves. Comments are kept by id,
// so a replayed event never shows twice. The comment's HTML was rendered and sanitised on the
// server; it is parsed here into an inert document and rebuilt from an allowlist (as the chat
// does), so nothing in event data becomes markup of its own.

const ALLOWED = new Set(["P", "BR", "STRONG", "EM", "CODE", "PRE", "BLOCKQUOTE", "UL", "OL", "LI", "A", "H3", "H4"]);

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

function commentItem(data) {
  const item = document.createElement("li");
  item.className = "exchange-comment is-new";
  item.id = `comment-${data.id}`;
  item.dataset.comment = String(data.id);
  const meta = document.createElement("p");
  meta.className = "meta";
  const author = document.createElement("strong");
  author.textContent = data.author;
  const when = document.createElement("time");
  when.dateTime = data.created_at;
  when.textContent = new Date(data.created_at).toLocaleString();
  meta.append(author, " · ", when);
  const body = document.createElement("div");
  body.className = "prose";
  body.append(safeFragment(data.html));
  item.append(meta, body);
  if (data.parent_id === null) {
    const replies = document.createElement("ol");
    replies.className = "plain-list exchange-replies";
    replies.dataset.replies = String(data.id);
    item.append(replies);
  }
  return item;
}

export function onEvent(frame) {
  const list = document.querySelector(`[data-comments][data-live-topic="${frame.topic}"]`);
  if (!list) return;
  const data = frame.data;
  if (frame.event === "comment.added") {
    if (document.getElementById(`comment-${data.id}`)) return;
    const parent = data.parent_id === null ? null : list.querySelector(`[data-replies="${data.parent_id}"]`);
    (parent || list).append(commentItem(data));
    document.querySelector("[data-comments-empty]")?.remove();
  } else if (frame.event === "comment.removed") {
    document.getElementById(`comment-${data.id}`)?.remove();
  }
}
