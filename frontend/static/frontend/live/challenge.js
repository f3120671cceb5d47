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
  if (data.state !== "published") document.querySelector("[data-countdown]")?.remove();
  toast(`${page?.dataset.labelChanged || ""} ${data.state_label}`);
}

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
  setTimeout(tick, 30000);
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
    element("dd", "", Number.isNaN(deadline.getTime()) ? "" : deadline.toLocaleString()),
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
