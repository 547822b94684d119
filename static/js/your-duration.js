// On a routine's page: how long the routine takes with the practitioner's own player settings
// (pace, breath, get-ready), when those differ from the routine as written.

import { read } from "./record.js";

const node = document.querySelector("[data-your-duration]");
const settings = read("yogasite:player:settings", {}) || {};
const number = (value, low, high) => (value != null && value !== "" && +value >= low && +value <= high ? +value : null);
const pace = number(settings.pace, 0.5, 2) ?? 1;
const breath = number(settings.breath, 2, 15);
const ready = number(settings.ready, 0, 60);

if (node && (pace !== 1 || breath !== null || ready !== null)) {
  const d = node.dataset;
  const held = (+d.seconds + +d.breaths * (breath ?? +d.breath)) * pace;
  const seconds = held + +d.stops * (ready ?? +d.transition);
  const minutes = Math.floor(seconds / 60 + 0.5);
  node.textContent = `With your player settings it takes ${seconds < 60 ? `${Math.round(seconds)} s` : `${minutes} min`}.`;
  node.hidden = false;
}
