// People pickers: suggestions while one types a name, a username or a unit, from the JSON
// endpoint the field names in data-people-source (/api/v1/people/, or a challenge's experts).
//  - <input data-people-source>: a native <datalist>. The browser gives it keyboard use
//    (arrows, Enter) and announces it to screen readers; the chosen value is the username.
//  - <textarea data-people-source> (the chat composer): typing "@" and a few letters opens a
//    listbox under it (ARIA combobox pattern: aria-controls, aria-expanded,
//    aria-activedescendant); ↑/↓ move, Enter or Tab insert "@username", Escape closes.
// No inline script and no innerHTML (CSP, and names are data): the DOM is built with textContent.

const DELAY_MS = 200;
const MENTION = /(^|\s)@([\p{L}\p{N}_.+-]{1,30})$/u;
let counter = 0;

function debounce(fn) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), DELAY_MS);
  };
}

async function fetchPeople(source, query) {
  const url = new URL(source, window.location.origin);
  url.searchParams.set("q", query);
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return response.ok ? await response.json() : [];
  } catch {
    return []; // offline: the field still takes a typed username
  }
}

function describe(person) {
  const who = [person.name, person.unit].filter(Boolean).join(" · ");
  // An expert suggestion also names the fields of expertise that made it.
  const fields = person.fields?.length ? ` — ${person.fields.join("、")}` : "";
  return `${who} (@${person.username})${fields}`;
}

function attachDatalist(input) {
  const list = document.createElement("datalist");
  list.id = `people-${++counter}`;
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let latest = 0;
  input.addEventListener(
    "input",
    debounce(async () => {
      const query = input.value.trim();
      const ticket = ++latest;
      const people = query ? await fetchPeople(input.dataset.peopleSource, query) : [];
      if (ticket !== latest) return; // a later keystroke's answer wins
      list.replaceChildren(
        ...people.map((person) => {
          const option = document.createElement("option");
          option.value = person.username;
          option.label = describe(person);
          option.textContent = describe(person);
          return option;
        }),
      );
    }),
  );
}

function attachMentions(area) {
  const box = document.createElement("ul");
  box.id = `people-${++counter}`;
  box.className = "people-listbox";
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", area.dataset.peopleLabel || "People");
  box.hidden = true;
  area.after(box);
  area.setAttribute("role", "combobox");
  area.setAttribute("aria-controls", box.id);
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-expanded", "false");
  let options = [];
  let active = -1;
  let latest = 0;

  const mentionAt = () => {
    const before = area.value.slice(0, area.selectionStart);
    const match = MENTION.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length } : null;
  };
  const close = () => {
    box.hidden = true;
    box.replaceChildren();
    options = [];
    active = -1;
    area.setAttribute("aria-expanded", "false");
    area.removeAttribute("aria-activedescendant");
  };
  const highlight = (index) => {
    active = index;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) area.setAttribute("aria-activedescendant", options[index].id);
  };
  const choose = (index) => {
    const at = mentionAt();
    const option = options[index];
    if (at && option) area.setRangeText(`${option.dataset.username} `, at.start, area.selectionStart, "end");
    close();
    area.focus();
  };

  area.addEventListener(
    "input",
    debounce(async () => {
      const at = mentionAt();
      const ticket = ++latest;
      if (!at) return close();
      const people = await fetchPeople(area.dataset.peopleSource, at.query);
      if (ticket !== latest) return;
      if (!people.length) return close();
      options = people.map((person, i) => {
        const option = document.createElement("li");
        option.id = `${box.id}-${i}`;
        option.setAttribute("role", "option");
        option.dataset.username = person.username;
        option.textContent = describe(person);
        // mousedown, not click: the textarea keeps its focus and caret.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(i);
        });
        return option;
      });
      box.replaceChildren(...options);
      box.hidden = false;
      area.setAttribute("aria-expanded", "true");
      highlight(0);
    }),
  );
  // Before the composer's own keys (Ctrl+Enter sends): while the list is open, these keys are its.
  area.addEventListener(
    "keydown",
    (event) => {
      if (box.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
        choose(active);
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    { capture: true },
  );
  area.addEventListener("blur", () => setTimeout(close, 150));
}

for (const field of document.querySelectorAll("[data-people-source]")) {
  if (field instanceof HTMLTextAreaElement) attachMentions(field);
  else if (field instanceof HTMLInputElement) attachDatalist(field);
}
