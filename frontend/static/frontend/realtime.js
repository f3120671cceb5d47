// One websocket per browser tab, carrying all of the page's topic subscriptions (docs/realtime.md).
// Reconnects with exponential backoff and jitter, resubscribes every topic with the last seq it
// saw (so nothing is missed), and re-dispatches each event as a DOM event on document.body:
//   "rt:event" (detail: {topic, seq, event, data}) and "rt-<event with dots as dashes>".
// Answers to the page's own frames come as "rt:ack" and "rt:error", a (re)subscription as
// "rt:subscribed", and each change of the connection as "rt:status" (detail: {status}).
// Pages send app frames (a chat message) with `window.realtime.send(frame)`, which returns false
// while the socket is down: the page keeps the frame and sends it again on "rt:subscribed".

const MAX_BACKOFF_MS = 30000;
const PING_INTERVAL_MS = 25000;
// Acknowledge what was read (docs/realtime.md, "Backpressure") after this many frames or
// characters, far below the server's limit, so a reading page is never taken for a stalled one.
const ACK_EVERY_FRAMES = 32;
const ACK_EVERY_CHARS = 64 * 1024;
const CLOSE_REAUTHENTICATE = 4001;
const CLOSE_TOO_FAR_BEHIND = 4010;

class RealtimeClient {
  constructor(url) {
    this.url = url;
    this.topics = new Map(); // topic -> last seq seen (null: only new events)
    this.socket = null;
    this.attempt = 0;
    this.refCounter = 0;
    this.pingTimer = null;
    this.stopped = false;
    this.received = 0; // frames received on the current socket
    this.unackedFrames = 0;
    this.unackedChars = 0;
  }

  subscribe(topic, since) {
    const known = this.topics.get(topic);
    this.topics.set(topic, known ?? (Number.isInteger(since) ? since : null));
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.sendSubscribe(topic);
  }

  unsubscribe(topic) {
    this.topics.delete(topic);
    this.send({ type: "unsubscribe", topic });
  }

  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  sendSubscribe(topic) {
    const since = this.topics.get(topic);
    this.send({ type: "subscribe", topic, since: since ?? null, ref: `s${++this.refCounter}` });
  }

  connect() {
    this.setStatus("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.received = 0;
      this.unackedFrames = 0;
      this.unackedChars = 0;
      this.setStatus("live");
      for (const topic of this.topics.keys()) this.sendSubscribe(topic);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_INTERVAL_MS);
    });
    socket.addEventListener("message", (message) => {
      this.acknowledge(message.data);
      this.onFrame(message.data);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(this.pingTimer);
      this.socket = null;
      if (this.stopped) return;
      if (event.code === CLOSE_REAUTHENTICATE || event.code === CLOSE_TOO_FAR_BEHIND) {
        // Logged out or password changed elsewhere, or this tab fell behind (it was asleep, say):
        // reconnect now; the handshake decides, and each topic resumes from its last seq.
        this.attempt = 0;
      }
      this.scheduleReconnect();
    });
  }

  acknowledge(text) {
    this.received += 1;
    this.unackedFrames += 1;
    this.unackedChars += text.length;
    if (this.unackedFrames >= ACK_EVERY_FRAMES || this.unackedChars >= ACK_EVERY_CHARS) {
      this.unackedFrames = 0;
      this.unackedChars = 0;
      this.send({ type: "ack", received: this.received });
    }
  }

  scheduleReconnect() {
    // A refused handshake (logged out, say) reaches the page only as 1006; after a run of them
    // the page shows live updates as off, and keeps trying at the slowest pace.
    this.setStatus(this.attempt >= 6 ? "offline" : "reconnecting");
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter: no thundering herd
    this.attempt += 1;
    setTimeout(() => this.connect(), delay);
  }

  onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
      case "event": {
        const last = this.topics.get(frame.topic);
        if (last !== undefined && last !== null && frame.seq <= last) return; // duplicate
        if (this.topics.has(frame.topic)) this.topics.set(frame.topic, frame.seq);
        this.emit(frame);
        break;
      }
      case "subscribed":
        // Only the answer to a subscribe this page sent resets the backoff (the server's own
        // automatic one comes on every accepted socket): a server that accepts and then closes
        // must not be hammered by every tab.
        if (frame.ref !== null && frame.ref !== undefined) this.attempt = 0;
        if (this.topics.get(frame.topic) === null) this.topics.set(frame.topic, frame.head);
        this.dispatch("rt:subscribed", frame);
        break;
      case "ack":
        this.dispatch("rt:ack", frame);
        break;
      case "resync":
        this.topics.set(frame.topic, frame.head);
        this.dispatch("rt:resync", frame);
        break;
      case "unsubscribed":
        if (frame.reason === "forbidden") this.topics.delete(frame.topic);
        this.dispatch("rt:unsubscribed", frame);
        break;
      case "ephemeral":
        this.dispatch("rt:ephemeral", frame);
        break;
      case "error":
        console.warn("realtime error", frame.code, frame.detail);
        this.dispatch("rt:error", frame);
        break;
      default:
        break;
    }
  }

  emit(frame) {
    this.dispatch("rt:event", frame);
    this.dispatch(`rt-${frame.event.replaceAll(".", "-")}`, frame);
  }

  dispatch(name, detail) {
    document.body.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }

  setStatus(status) {
    this.dispatch("rt:status", { status });
    const holder = document.querySelector("[data-live-status]");
    if (!holder) return;
    holder.dataset.state = status;
    const text = holder.querySelector("[data-live-status-text]");
    if (text) text.textContent = holder.dataset[`label${status[0].toUpperCase()}${status.slice(1)}`] || status;
  }
}

// Run `callback` once every module script of the page has run (they all run before
// DOMContentLoaded). Frames that arrived earlier would find no listener yet: a chat pane would
// miss its `rt:subscribed`, and never announce its presence or resend what was pending.
function afterPageScripts(callback) {
  if (document.readyState === "complete") {
    callback();
    return;
  }
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      callback();
    }
  };
  document.addEventListener("DOMContentLoaded", once, { once: true });
  window.addEventListener("load", once, { once: true });
}

function start() {
  const body = document.body;
  if (!body.dataset.userTopic) return null; // visitors have no socket
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const client = new RealtimeClient(`${scheme}://${window.location.host}/ws/`);
  client.subscribe(body.dataset.userTopic, Number.parseInt(body.dataset.userSince, 10));
  for (const element of document.querySelectorAll("[data-live-topic]")) {
    client.subscribe(element.dataset.liveTopic, Number.parseInt(element.dataset.liveSince, 10));
  }
  afterPageScripts(() => client.connect());
  window.addEventListener("pagehide", () => {
    client.stopped = true;
    client.socket?.close(1000);
  });
  return client;
}

export const realtime = start();
window.realtime = realtime;
