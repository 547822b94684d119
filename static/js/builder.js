// The builder page, with a script: every change (hold, sides, rounds, order, removal) is made in the page,
// the duration is counted again by the routine rule (routines/timing.py), and the address is rewritten so
// that it can be bookmarked or shared. The practice is also kept in this browser for "Add to my practice".
// Without this script the same forms post to the server, which answers with the new address.

import { builderUrl, storeCode, storedCode } from "./building.js";

const root = document.querySelector("[data-builder]");
const list = root.querySelector("[data-steps]");
const announce = root.querySelector("[data-announce]");
const breath = Number(root.dataset.breath);
const transition = Number(root.dataset.transition);
const params = new URLSearchParams(location.search);

const rows = () => [...list.querySelectorAll("[data-step]")];
const field = (row, name) => row.querySelector(`[data-field=${name}]`);
const nameOf = (row) => row.dataset.name;

// --- The routine rule, as routines/timing.py has it --------------------------------------------------

const roundHalfUp = (seconds) => Math.floor(seconds + 0.5);

function formatDuration(seconds) {
  const whole = roundHalfUp(seconds || 0);
  if (whole < 60) return `${whole} s`;
  const all = roundHalfUp(whole / 60);
  const hours = Math.floor(all / 60);
  const minutes = all % 60;
  if (!hours) return `${minutes} min`;
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

const spanText = (seconds) => (roundHalfUp(seconds) < 120 ? `${roundHalfUp(seconds)} s` : formatDuration(seconds));

function stepOf(row) {
  const hold = Math.min(3600, Math.max(1, parseInt(field(row, "hold").value, 10) || 1));
  const rounds = Math.min(20, Math.max(1, parseInt(field(row, "rounds").value, 10) || 1));
  const sidesField = field(row, "sides");
  return {
    slug: row.dataset.slug,
    unit: field(row, "unit").value,
    hold,
    rounds,
    sides: sidesField ? sidesField.value : "once",
    sidesAble: row.dataset.sidesAble === "true",
  };
}

function seconds(step) {
  const one = step.unit === "breaths" ? step.hold * breath : step.hold;
  const stops = step.sides === "once" ? 1 : 2;
  return { step: one * step.rounds * stops, total: one * step.rounds * stops + transition * stops };
}

// --- The address, as practice/sequence.py writes it ---------------------------------------------------

function codeOf(steps) {
  if (!steps.length) return "";
  const parts = steps.map((step) => {
    const bits = [step.slug, `${step.hold}${step.unit === "breaths" ? "b" : "s"}`];
    if (step.sidesAble && step.sides !== "right") bits.push(step.sides === "left" ? "l" : "o");
    if (step.rounds !== 1) bits.push(`x${step.rounds}`);
    return bits.join("~");
  });
  return ["1", ...parts].join(".");
}

// The same short name as practice/builder_views.py slug_of: FNV-1a of the code.
function slugOf(code) {
  let value = 0x811c9dc5;
  for (const char of code) value = Math.imul(value ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `built-${value.toString(16).padStart(8, "0")}`;
}

// As practice/builder_views.py title_of.
function titleOf(names) {
  if (!names.length) return "A practice of your own";
  if (names.length === 1) return `A practice: ${names[0]}`;
  if (names.length === 2) return `A practice: ${names[0]} and ${names[1]}`;
  return `A practice: ${names[0]}, ${names[1]} and ${names.length - 2} more`;
}

function refreshOffline(code) {
  const box = root.querySelector("[data-offline-save]");
  if (!box || !code) return;
  if (box.dataset.url === builderUrl(root.dataset.buildUrl, code)) return;
  Object.assign(box.dataset, {
    slug: slugOf(code),
    title: titleOf(rows().map(nameOf)),
    url: builderUrl(root.dataset.buildUrl, code),
    manifest: root.dataset.offlineUrl.replace("CODE", code),
  });
  box.dispatchEvent(new Event("offline:refresh"));
}

// Props and cautions of the poses that are left (a pose added comes with the page, which is reloaded).
function showWhatTheStepsNeed(all) {
  const props = [...new Set(all.flatMap((row) => row.dataset.props.split("|").filter(Boolean)))];
  root.querySelector("[data-props-needed]").textContent = props.join(", ") || "None, body only";
  const slugs = new Set(all.map((row) => row.dataset.slug));
  const cautions = root.querySelector("[data-cautions]");
  if (!cautions) return;
  let shown = 0;
  for (const item of cautions.querySelectorAll("[data-poses]")) {
    item.hidden = !item.dataset.poses.split(" ").some((slug) => slugs.has(slug));
    shown += item.hidden ? 0 : 1;
  }
  cautions.hidden = !shown;
}

function update() {
  const all = rows();
  const steps = all.map(stepOf);
  let total = 0;
  all.forEach((row, index) => {
    const time = seconds(steps[index]);
    total += time.total;
    row.querySelector("[data-number]").textContent = `${index + 1}.`;
    row.querySelector("[data-time]").textContent = spanText(time.step);
    row.querySelector("[data-index-field]").value = String(index);
  });
  const code = codeOf(steps);
  root.dataset.code = code;
  root.querySelectorAll("[data-code-field]").forEach((input) => (input.value = code));
  root.querySelector("[data-duration]").textContent = formatDuration(total);
  root.querySelector("[data-count]").textContent = String(steps.length);
  root.querySelector("[data-link=play]").href = root.dataset.playUrl.replace("CODE", code);
  root.querySelector("[data-link=cheatsheet]").href = `${root.dataset.cheatsheetUrl}?s=${code}`;
  showWhatTheStepsNeed(all);
  root.querySelectorAll("[data-when-steps]").forEach((element) => (element.hidden = !steps.length));
  refreshOffline(code);
  root.querySelector("[data-empty]").hidden = !!steps.length;
  params.set("s", code);
  params.delete("find");
  history.replaceState(null, "", `${location.pathname}?${params.toString().replace(/%7E/gi, "~")}`);
  storeCode(code);
  return { count: steps.length, total };
}

function say(message) {
  // Emptied first, so that the same words said twice are announced twice.
  announce.textContent = "";
  setTimeout(() => (announce.textContent = message), 50);
}

// --- Moving and removing --------------------------------------------------------------------------------

function move(row, by, focusSelector) {
  const all = rows();
  const from = all.indexOf(row);
  const to = from + by;
  if (to < 0 || to >= all.length) {
    say(`${nameOf(row)} is already the ${by < 0 ? "first" : "last"} step.`);
    return;
  }
  if (by < 0) list.insertBefore(row, all[to]);
  else list.insertBefore(row, all[to].nextSibling);
  update();
  row.querySelector(focusSelector)?.focus();
  say(`${nameOf(row)} moved to step ${to + 1} of ${all.length}.`);
}

function remove(row) {
  const all = rows();
  const index = all.indexOf(row);
  const next = all[index + 1] || all[index - 1];
  row.remove();
  const { count, total } = update();
  if (next) next.querySelector("[data-op=remove]").focus();
  else root.querySelector("#add-q").focus();
  say(`${nameOf(row)} removed. ${count} ${count === 1 ? "step" : "steps"}, ${formatDuration(total)}.`);
}

list.addEventListener("submit", (event) => {
  event.preventDefault();
  const row = event.target.closest("[data-step]");
  const op = event.submitter?.value;
  if (op === "up") move(row, -1, "[data-op=up]");
  else if (op === "down") move(row, 1, "[data-op=down]");
  else if (op === "remove") remove(row);
  else update();
});

list.addEventListener("input", (event) => {
  if (event.target.matches("[data-field]")) update();
});
list.addEventListener("change", (event) => {
  const row = event.target.closest("[data-step]");
  if (!event.target.matches("[data-field]") || !row) return;
  const { total } = update();
  say(`${nameOf(row)}: ${row.querySelector("[data-time]").textContent}. The practice lasts ${formatDuration(total)}.`);
});

list.addEventListener("keydown", (event) => {
  const handle = event.target.closest("[data-handle]");
  if (!handle || !["ArrowUp", "ArrowDown"].includes(event.key)) return;
  event.preventDefault();
  move(handle.closest("[data-step]"), event.key === "ArrowUp" ? -1 : 1, "[data-handle]");
});

// --- Dragging by the handle -----------------------------------------------------------------------------

// Only the handle is draggable: the fields and buttons of a step keep their usual mouse behaviour.
let dragged = null;
list.querySelectorAll("[data-handle]").forEach((handle) => (handle.draggable = true));
list.addEventListener("dragstart", (event) => {
  if (!event.target.closest?.("[data-handle]")) return;
  dragged = event.target.closest("[data-step]");
  dragged.classList.add("builder-step--dragged");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", dragged.dataset.slug);
  event.dataTransfer.setDragImage(dragged, 24, 24);
});
list.addEventListener("dragover", (event) => {
  const over = event.target.closest("[data-step]");
  if (!dragged || !over || over === dragged) return;
  event.preventDefault();
  const box = over.getBoundingClientRect();
  list.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
});
list.addEventListener("drop", (event) => event.preventDefault());
list.addEventListener("dragend", () => {
  if (!dragged) return;
  const row = dragged;
  dragged = null;
  row.classList.remove("builder-step--dragged");
  update();
  say(`${nameOf(row)} moved to step ${rows().indexOf(row) + 1} of ${rows().length}.`);
});

// --- Sharing ----------------------------------------------------------------------------------------------

root.querySelector("[data-act=copy]").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    say("The link to this practice is copied.");
  } catch {
    say("The link could not be copied: copy it from the address bar.");
  }
});

// --- Arriving ------------------------------------------------------------------------------------------------

if (!params.has("s") && !params.has("find") && storedCode()) {
  // The builder opened without a practice in its address: the one built in this browser.
  location.replace(builderUrl(root.dataset.buildUrl, storedCode()));
} else if (!root.querySelector("[role=alert]")) {
  // The address is the practice: a shared link becomes this browser's practice, to change at will.
  if (params.has("s") || rows().length) update();
}
