// The page's live parts. realtime.js re-dispatches every frame as a DOM event; this script hands
// each one to the module of its topic's kind (live/<kind>.js), so an area adds its live behaviour
// in its own small file: export the handlers it needs and add one line to `areas` below.
//   onEvent(frame)         a stored event of the topic: {topic, seq, event, data}
//   onEphemeral(frame)     an ephemeral frame (typing): {topic, event, data}
//   onUnsubscribed(frame)  the server ended the subscription: {topic, reason}
//   onResync(frame)        more was missed than the server replays; default: reload the page
// Modules build DOM with textContent, never innerHTML, so event data is never markup.

import * as challenge from "./live/challenge.js";
import * as inquiry from "./live/inquiry.js";
import * as post from "./live/post.js";
import * as room from "./live/room.js";
import * as studio from "./live/studio.js";
import * as user from "./live/user.js";

const areas = { studio, user, challenge, board: challenge, inquiry, room, post };

function areaOf(frame) {
  return areas[frame.topic.split(":", 1)[0]];
}

const body = document.body;

body.addEventListener("rt:event", (event) => areaOf(event.detail)?.onEvent?.(event.detail));
body.addEventListener("rt:ephemeral", (event) => areaOf(event.detail)?.onEphemeral?.(event.detail));
body.addEventListener("rt:unsubscribed", (event) => areaOf(event.detail)?.onUnsubscribed?.(event.detail));
body.addEventListener("rt:resync", (event) => {
  const area = areaOf(event.detail);
  if (area?.onResync) area.onResync(event.detail);
  // The rendered page is the fresh state: reloading it is the REST reload.
  else window.location.reload();
});
