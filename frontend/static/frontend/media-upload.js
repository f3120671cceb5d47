// Audio, video and captions upload in resumable chunks (platform_core/media, docs/media.md).
//
// A form field rendered by platform_core.media.forms.MediaFileField holds, inside
// [data-media-upload]: a file input without a name (the file never goes with the form), a hidden
// input carrying the finished file's id, a progress bar (role=progressbar, aria-valuenow) and a
// status line. Choosing a file opens an upload (POST data-endpoint), sends the file in chunks of
// the size the server gives (PATCH with Upload-Offset), and completes it; the finished id goes
// into the hidden input. A dropped connection is retried, each time first asking the server the
// offset it has (GET), so no byte is sent twice and none is skipped; a 409 says the same. The same
// file chosen again after a reload goes on from where it stopped (the upload's id is remembered in
// localStorage). The form cannot be sent while an upload runs. No inline script, no innerHTML.

const RETRIES = 8;
const MAX_DELAY_MS = 15000;

function csrfToken() {
  const field = document.querySelector("input[name='csrfmiddlewaretoken']");
  if (field?.value) return field.value;
  try {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
  } catch {
    // no usable hx-headers: the cookie below
  }
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

class NetworkError extends Error {}

class ServerRefusal extends Error {
  constructor(status, body) {
    super(ServerRefusal.describe(body) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }

  static describe(body) {
    if (!body || typeof body !== "object") return "";
    if (typeof body.detail === "string") return body.detail;
    return Object.values(body)
      .flat()
      .filter((message) => typeof message === "string")
      .join(" ");
  }
}

async function api(url, { method = "GET", json } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
        ...(json ? { "Content-Type": "application/json" } : {}),
      },
      body: json ? JSON.stringify(json) : undefined,
    });
  } catch {
    throw new NetworkError();
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ServerRefusal(response.status, body);
  return body;
}

// One chunk, with XMLHttpRequest for its upload progress. Resolves to the server's new offset.
function sendChunk(url, offset, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PATCH", url);
    request.setRequestHeader("Upload-Offset", String(offset));
    request.setRequestHeader("Content-Type", "application/offset+octet-stream");
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    request.addEventListener("error", () => reject(new NetworkError()));
    request.addEventListener("abort", () => reject(new NetworkError()));
    request.addEventListener("timeout", () => reject(new NetworkError()));
    request.addEventListener("load", () => {
      const said = Number(request.getResponseHeader("Upload-Offset"));
      if (request.status === 204) return resolve(said);
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // not JSON: the status says enough
      }
      if (request.status === 409 && Number.isFinite(body?.offset)) return resolve(body.offset);
      if (request.status >= 500 || request.status === 0) return reject(new NetworkError());
      reject(new ServerRefusal(request.status, body));
    });
    request.send(blob);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class MediaUpload {
  constructor(root) {
    this.root = root;
    this.input = root.querySelector("[data-media-file]");
    this.hidden = root.querySelector("[data-media-id]");
    this.progress = root.querySelector("[data-media-progress]");
    this.bar = root.querySelector("[data-media-bar]");
    this.fill = root.querySelector("[data-media-fill]");
    this.percent = root.querySelector("[data-media-percent]");
    this.status = root.querySelector("[data-media-status]");
    this.error = root.querySelector("[data-media-error]");
    this.retry = root.querySelector("[data-media-retry]");
    this.currentNote = root.querySelector("[data-media-current]");
    this.currentName = root.querySelector("[data-media-current-name]");
    this.running = false;
    this.upload = null;
    this.file = null;
    root.mediaUpload = this;
    this.input.addEventListener("change", () => this.choose());
    this.retry.addEventListener("click", () => this.run());
  }

  message(name) {
    return this.root.dataset[`msg${name[0].toUpperCase()}${name.slice(1)}`] || "";
  }

  storageKey(file) {
    return `media-upload:${this.root.dataset.kind}:${file.name}:${file.size}:${file.lastModified}`;
  }

  say(text) {
    this.status.textContent = text;
  }

  fail(text) {
    this.error.textContent = `${this.message("failed")} ${text}`.trim();
    this.error.hidden = false;
  }

  show(sent) {
    const size = this.file?.size || 1;
    const value = Math.min(100, Math.floor((sent / size) * 100));
    this.progress.hidden = false;
    this.bar.setAttribute("aria-valuenow", String(value));
    this.bar.setAttribute("aria-valuetext", `${value}%`);
    this.fill.style.width = `${value}%`;
    this.percent.textContent = `${value}%`;
  }

  choose() {
    const file = this.input.files?.[0];
    this.error.hidden = true;
    this.retry.hidden = true;
    if (!file) return;
    const limit = Number(this.input.dataset.maxBytes);
    if (limit && file.size > limit) {
      // uploads.js says so beside the input; nothing is sent.
      this.say("");
      return;
    }
    this.file = file;
    this.hidden.value = "";
    if (!this.running) {
      this.upload = null;
      this.run();
    }
  }

  async open(file) {
    const remembered = localStorage.getItem(this.storageKey(file));
    if (remembered) {
      try {
        const upload = await api(remembered);
        if (upload.state === "uploading" && upload.size === file.size) return upload;
      } catch (error) {
        if (error instanceof NetworkError) throw error;
        // gone, or not ours any more: start afresh
      }
      localStorage.removeItem(this.storageKey(file));
    }
    const upload = await api(this.root.dataset.endpoint, {
      method: "POST",
      json: { kind: this.root.dataset.kind, name: file.name, size: file.size, content_type: file.type },
    });
    localStorage.setItem(this.storageKey(file), upload.url);
    return upload;
  }

  // Send `file` to the end. Another file chosen meanwhile is sent next (this one is left to the
  // periodic removal of stale uploads).
  async run() {
    if (this.running || !this.file) return;
    const file = this.file;
    const current = () => this.file === file;
    this.running = true;
    this.retry.hidden = true;
    this.error.hidden = true;
    this.input.setCustomValidity(this.message("wait"));
    this.say(`${this.message("uploading")} ${file.name}`);
    this.show(0);
    let failures = 0;
    try {
      for (;;) {
        try {
          // First time: open (or find the remembered upload); after a failure: ask the offset.
          this.upload = this.upload ? await api(this.upload.url) : await this.open(file);
          let offset = this.upload.offset;
          while (offset < file.size && this.upload.state === "uploading" && current()) {
            this.show(offset);
            const start = offset;
            const end = Math.min(start + this.upload.chunk_size, file.size);
            offset = await sendChunk(this.upload.chunk_url, start, file.slice(start, end), (loaded) => {
              if (current()) this.show(start + loaded);
            });
            failures = 0;
          }
          if (!current()) return;
          let done = this.upload;
          if (done.state !== "ready") {
            this.show(file.size);
            this.say(this.message("checking"));
            done = await api(this.upload.complete_url, { method: "POST" });
          }
          localStorage.removeItem(this.storageKey(file));
          this.finish(done);
          return;
        } catch (error) {
          if (!(error instanceof NetworkError) || ++failures > RETRIES || !current()) throw error;
          this.say(this.message("resuming"));
          await sleep(Math.min(MAX_DELAY_MS, 500 * 2 ** failures));
        }
      }
    } catch (error) {
      if (!current()) return;
      this.input.setCustomValidity("");
      if (error instanceof NetworkError) {
        this.say(this.message("offline"));
        this.retry.hidden = false;
      } else {
        this.say("");
        localStorage.removeItem(this.storageKey(file));
        this.upload = null;
        this.fail(error.message);
      }
    } finally {
      this.running = false;
      if (!current()) {
        this.upload = null;
        this.run();
      }
    }
  }

  finish(done) {
    this.hidden.value = done.id;
    this.input.setCustomValidity("");
    this.show(this.file.size);
    this.say(`${this.message("done")} ${done.name}`);
    this.currentName.textContent = done.name;
    this.currentNote.hidden = false;
    this.root.dispatchEvent(new CustomEvent("media:uploaded", { bubbles: true, detail: done }));
  }
}

for (const root of document.querySelectorAll("[data-media-upload]")) new MediaUpload(root);

// uploads.js clears a file input's message on submit when its file is within the limit: an upload
// still running holds the form here, after it.
document.addEventListener(
  "submit",
  (event) => {
    for (const root of event.target.querySelectorAll("[data-media-upload]")) {
      const upload = root.mediaUpload;
      if (upload?.running) {
        event.preventDefault();
        event.stopImmediatePropagation();
        upload.input.setCustomValidity(upload.message("wait"));
        upload.input.reportValidity();
        return;
      }
    }
  },
  true,
);
