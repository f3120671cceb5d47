// challenge:<id> (a challenge's page: state, bid count, Q&A, milestones) and board:all (the board
// page: newly published challenges). Everything is built with textContent: event data is never markup.

import { toast } from "./ui.js";

const page = document.querySelector("[data-live-topic^='challenge:']");

function setState(data) {
  const tag = document.querySelector("[data-challenge-state]");
  if (tag) {
    tag.textContent = data.state_label;
    tag.className = `tag state state-${data.state}`;
  }
  if (data.state !== "published") {
    document.querySelector("[data-countdown]")?.remove();
    for (const offer of document.querySelectorAll("[data-while-bidding]")) offer.remove();
  }
  toast(`${page?.dataset.labelChanged || ""} ${data.state_label}`);
}

// Bidding closes at the deadline by the database clock (permissions.bidding_refusal), whether or
// not the periodic job has run; its `challenge.state_changed` reaches an open page up to a minute
// later. So at the deadline the page changes by itself: every published challenge on it
// ([data-closes-at]: the challenge page, each card of the board) shows "bidding closed", and what
// is offered only while bidding is open ([data-while-bidding]: the bid button, edit links, the
// question form) goes. The server refuses all of these after the deadline in any case; this only
// keeps the page from offering them.
function closeBidding(holder) {
  delete holder.dataset.closesAt;
  const label = holder.closest("[data-label-state-closed]")?.dataset.labelStateClosed;
  for (const tag of holder.querySelectorAll("[data-challenge-state].state-published")) {
    if (label) tag.textContent = label;
    tag.className = "tag state state-bidding_closed";
  }
  for (const offer of holder.querySelectorAll("[data-while-bidding]")) offer.remove();
}

function watchDeadlines() {
  const now = Date.now();
  let next = Infinity;
  for (const holder of document.querySelectorAll("[data-closes-at]")) {
    const at = new Date(holder.dataset.closesAt).getTime();
    if (Number.isNaN(at)) continue;
    if (at <= now) closeBidding(holder);
    else next = Math.min(next, at);
  }
  // setTimeout takes at most 2^31-1 ms; a deadline further away is looked at again then.
  if (next !== Infinity) setTimeout(watchDeadlines, Math.min(next - now + 50, 2 ** 31 - 1));
}
watchDeadlines();

function setBidCount(data) {
  const holder = document.querySelector("[data-bid-count]");
  if (holder) holder.textContent = String(data.count);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function answerLine(data) {
  if (data.answer) {
    const line = element("p", "answer");
    line.append(element("strong", "", `${page?.dataset.labelAnswered || ""}: `), data.answer);
    return line;
  }
  return element("p", "muted", page?.dataset.labelWaiting || "");
}

function csrfToken() {
  // The token of a form the server rendered on this page, else the cookie Django set with it.
  const field = document.querySelector("input[name='csrfmiddlewaretoken']");
  if (field) return field.value;
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

// The poster's answer form for a question that arrived live, like the one the server renders.
function answerForm(id) {
  const template = page?.dataset.answerAction;
  if (!template) return null;
  const form = element("form", "inline-form");
  form.method = "post";
  form.action = template.replace(/\/0\/answer\/$/, `/${id}/answer/`);
  const token = element("input");
  token.type = "hidden";
  token.name = "csrfmiddlewaretoken";
  token.value = csrfToken();
  const field = element("div", "field");
  const label = element("label", "", page.dataset.labelAnswered || "");
  label.htmlFor = `answer-${id}`;
  const text = element("textarea");
  text.id = `answer-${id}`;
  text.name = "answer";
  text.rows = 2;
  text.required = true;
  text.maxLength = 4000;
  field.append(label, text);
  const button = element("button", "button button-small", page.dataset.labelPublish || "");
  button.type = "submit";
  form.append(token, field, button);
  return form;
}

function showQuestion(data) {
  const list = document.querySelector("[data-questions]");
  if (!list) return;
  list.querySelector("[data-empty]")?.remove();
  let item = list.querySelector(`[data-question="${Number(data.id)}"]`);
  if (!item) {
    item = element("li", "is-new");
    item.dataset.question = String(Number(data.id));
    item.append(element("p", "question", data.body));
    list.append(item);
  }
  // The poster's answer form (if any) is replaced by the answer itself.
  for (const old of item.querySelectorAll("[data-answer], form")) old.remove();
  const line = answerLine(data);
  line.dataset.answer = "";
  item.append(line);
  if (!data.answer) {
    const form = answerForm(Number(data.id));
    if (form) item.append(form);
  }
}

function showMilestone(data) {
  const cell = document.querySelector(`[data-milestone-status="${Number(data.id)}"]`);
  const labels = document.querySelector("[data-milestone-labels]");
  if (cell) cell.textContent = labels?.getAttribute(`data-status-${data.status}`) || data.status;
}

function tick() {
  const holder = document.querySelector("[data-countdown]");
  if (!holder) return;
  const left = new Date(holder.dataset.countdown).getTime() - Date.now();
  if (left <= 0) {
    holder.textContent = page?.dataset.labelClosed || "";
    return;
  }
  const minutes = Math.floor(left / 60000);
  holder.textContent = (page?.dataset.labelDays || "%(d)s %(h)s %(m)s")
    .replace("%(d)s", String(Math.floor(minutes / 1440)))
    .replace("%(h)s", String(Math.floor((minutes % 1440) / 60)))
    .replace("%(m)s", String(minutes % 60));
  // The next minute boundary, or the deadline itself, whichever comes first.
  setTimeout(tick, Math.min(30000, left + 50));
}
tick();

function showPublished(data) {
  const section = document.querySelector("[data-board-new]");
  const list = document.querySelector("[data-board-new-list]");
  if (!section || !list) return;
  const card = element("li", "challenge-card is-new");
  const title = element("h2");
  const link = element("a", "", data.title);
  link.href = `/challenges/${Number(data.id)}/`;
  title.append(link);
  card.append(title, element("p", "muted", data.unit));
  const tags = element("p");
  for (const field of data.fields || []) tags.append(element("span", "tag", field), " ");
  card.append(tags);
  const facts = element("dl", "facts compact");
  const deadline = new Date(data.bidding_deadline);
  facts.append(
    element("dt", "", list.dataset.labelReward),
    element("dd", "", `¥${Number(data.reward_amount).toLocaleString()}`),
    element("dt", "", list.dataset.labelDeadline),
    // In the platform's time zone, as the server renders every time, not the browser's.
    element(
      "dd",
      "",
      Number.isNaN(deadline.getTime())
        ? ""
        : deadline.toLocaleString(undefined, { timeZone: list.dataset.timeZone || undefined }),
    ),
  );
  card.append(facts);
  list.prepend(card);
  section.hidden = false;
}

const handlers = {
  "challenge.state_changed": setState,
  "challenge.bid_count": setBidCount,
  "challenge.question_asked": showQuestion,
  "challenge.question_answered": showQuestion,
  "challenge.milestone_updated": showMilestone,
  "board.challenge_published": showPublished,
};

export function onEvent(frame) {
  handlers[frame.event]?.(frame.data);
}
