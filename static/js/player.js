// The routine player. Each stop page works on its own, server-rendered with plain links; this
// module turns it into a timer that needs no touching: it counts down each hold, counts the
// rounds, moves on by itself, chimes and speaks at each change, keeps the screen awake,
// remembers where the practitioner stopped and writes the practice log when the practice ends.
//
// Time is measured against a target end time (performance.now()), never by counting ticks, so a
// throttled background tab is still right when it wakes: the interval only repaints.

import { canSpeak, hush, say as speak, tone as play_tone } from "./cues.js";
import { enterPracticeView, inPracticeView, leavePracticeView, onFullscreenLeft } from "./practice-view.js";
import { localDate, logPractice, read, write } from "./record.js";

const $ = (sel) => document.querySelector(sel);
const root = $("[data-player]");
const data = JSON.parse($("#player-data").textContent);
const stops = data.stops;
const el = {};
for (const node of root.querySelectorAll("[data-bind]")) el[node.dataset.bind] = node;
const heading = $("#stop-title");

const STATE_KEY = `yogasite:player:${data.slug}`;
const SETTINGS_KEY = "yogasite:player:settings";
const within = (value, low, high, fallback) =>
  value !== null && value !== "" && +value >= low && +value <= high ? +value : fallback;

const stored = read(SETTINGS_KEY) || {};
const settings = {
  pace: within(stored.pace, 0.5, 2, 1),
  breath: within(stored.breath, 2, 15, null),
  // null: the routine's own transition, which is what its stated duration counts.
  ready: within(stored.ready, 0, 60, null),
  sound: stored.sound !== false,
  voice: stored.voice !== false,
  coach: stored.coach === true,
  halfway: stored.halfway === true,
  level: stored.level,
};
const now = () => performance.now();
const WAIT_CHIME_MS = 8000; // a calm interval for the reminder while a step waits
const COUNT_FROM_MS = 10000; // holds shorter than this end without a spoken count
const HALFWAY_FROM_MS = 60000;

const query = new URLSearchParams(location.search).get("level");
let level = [query, settings.level, data.level].find((l) => l in data.levels);

// --- Words and numbers, as the server writes them ----------------------------------------------

const whole = (seconds) => Math.floor(seconds + 0.5);
function duration(seconds) {
  const s = whole(seconds);
  if (s < 60) return `${s} s`;
  const minutes = whole(s / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${minutes} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}
const span = (seconds) => (whole(seconds) < 120 ? `${whole(seconds)} s` : duration(seconds));
function exact(seconds) {
  const s = whole(seconds);
  const m = Math.floor(s / 60);
  return m ? `${m} min ${s % 60} s` : `${s} s`;
}
function clock(ms) {
  const s = Math.ceil(ms / 1000 - 1e-9);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const breath = () => settings.breath || data.breath;
const breathMs = () => breath() * settings.pace * 1000;
const repMs = (stop) => (stop.kind === "breaths" ? stop.hold * breath() : stop.hold) * settings.pace * 1000;
const readyMs = () => (settings.ready ?? data.transition) * 1000;
const stopMs = (stop) => readyMs() + repMs(stop) * stop.reps;
function holdText(stop) {
  const seconds = repMs(stop) / 1000;
  if (stop.kind !== "breaths") return span(seconds);
  return `${stop.hold} breath${stop.hold === 1 ? "" : "s"}, about ${span(seconds)}`;
}
const stepLine = (stop) => `Step ${stop.step} of ${data.steps}`;
const sameStep = (a, b) => !!a && !!b && a.step === b.step;

// --- State ---------------------------------------------------------------------------------------

let index = data.start - 1;
let phase = "ready"; // ready → hold (round by round) → wait (manual steps) → next stop … → done
let round = 1;
let playing = false;
let started = false;
let endAt = 0; // when the current phase ends, while playing
let left = readyMs(); // what is left of the current phase, while paused
let length = left; // the current phase's full length, for the progress bar
let practised = 0;
let since = 0;
let counted = 0;
let halfwaySaid = false;
let chimedAt = 0;
let spokenStop = -1;
let savedAt = 0;
let lock = null;
let session = null; // {id, started}: the practice the log entry is about

const phaseLeft = () => (playing ? Math.max(0, endAt - now()) : left);
function enter(next, ms, at = now()) {
  phase = next;
  length = ms;
  counted = 0;
  halfwaySaid = false;
  if (playing) endAt = at + ms;
  else left = ms;
}
function routineLeft() {
  const stop = stops[index];
  let ms = 0;
  for (let j = index + 1; j < stops.length; j++) ms += stopMs(stops[j]);
  if (phase === "ready") ms += phaseLeft() + repMs(stop) * stop.reps;
  if (phase === "hold") ms += phaseLeft() + (stop.reps - round) * repMs(stop);
  return ms;
}
const routineTotal = () => stops.reduce((sum, stop) => sum + stopMs(stop), 0);

// --- Cues: few and useful ------------------------------------------------------------------------

const tone = (...args) => play_tone(settings.sound, ...args);
const speaks = () => settings.voice && canSpeak();
function say(text, interrupt = false) {
  if (speaks()) speak(text, interrupt);
}
function announce(text) {
  el.live.textContent = text;
}
function sayStop() {
  const stop = stops[index];
  spokenStop = index;
  const rounds = stop.reps > 1 ? ` ${stop.reps} rounds.` : "";
  if (stop.side && sameStep(stops[index - 1], stop)) say(`Switch sides. ${stop.side}.${rounds}`, true);
  else say(`${stop.title}.${stop.side ? ` ${stop.side}.` : ""}${rounds}`, true);
}
function coach() {
  const stop = stops[index];
  if (!settings.coach) return;
  const words = [...stop.text, ...(stop.vars[level] || [])].join(" ");
  if (words) say(words);
}
// A spoken 3-2-1 is worth it only before moving into a new pose after a hold of some length:
// never between short rounds, never when the step waits anyway, never at the end of the practice.
function countsDown(stop) {
  const next = stops[index + 1];
  return phase === "hold" && round === stop.reps && length >= COUNT_FROM_MS && !stop.manual && next && !sameStep(stop, next);
}

async function keepAwake(on) {
  if (!navigator.wakeLock) return;
  try {
    if (on && !lock) {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => (lock = null));
      if (!playing) keepAwake(false);
    } else if (!on && lock) {
      const held = lock;
      lock = null;
      await held.release();
    }
  } catch {
    lock = null; // Refused (low battery, hidden page): the practice goes on regardless.
  }
}

// --- The record ----------------------------------------------------------------------------------

function practisedSoFar() {
  return practised + (playing ? now() - since : 0);
}
function writeLog(completed) {
  if (!session) return;
  const ms = practisedSoFar();
  if (!completed && ms < 60000) return; // a minute or more is a practice worth keeping
  logPractice({
    id: session.id,
    started: session.started,
    date: localDate(new Date(session.started)),
    routine: data.slug,
    title: data.title,
    url: data.url,
    minutes: Math.round(ms / 6000) / 10,
    completed,
  });
}

// --- Moving through the routine ------------------------------------------------------------------

function href(number) {
  const suffix = level === data.level ? "" : `?level=${level}`;
  return (number > stops.length ? data.finish : `${data.base}${number}/`) + suffix;
}
function persist() {
  savedAt = now();
  if (!started) return;
  write(STATE_KEY, {
    stop: index + 1,
    phase,
    round,
    left: phaseLeft(),
    length,
    practised: practisedSoFar(),
    session,
  });
}

function advance(at, fresh) {
  const stop = stops[index];
  if (phase === "ready") {
    enter("hold", repMs(stop), at);
    restartPacer();
    if (fresh) {
      tone(880);
      coach();
    }
  } else if (round < stop.reps) {
    round += 1;
    enter("hold", repMs(stop), at);
    restartPacer();
    if (fresh) tone(880, 0.15, 0.15); // rounds are counted with a soft tone, not words
  } else if (stop.manual) {
    phase = "wait";
    chimedAt = at;
    if (fresh) {
      tone(520, 0.4);
      say("Time is up.");
    }
    announce("Time is up. Press Next when you are ready.");
    el.toggle.focus({ preventScroll: true });
  } else {
    go(index + 1, { at, fresh });
  }
}

function go(target, { at = now(), manual = false, fresh = true, push = manual } = {}) {
  if (target >= stops.length) return finish(at, push);
  index = Math.max(0, target);
  round = 1;
  enter("ready", readyMs(), at);
  el.stop.hidden = false;
  el.finish.hidden = true;
  render();
  history[push ? "pushState" : "replaceState"](null, "", href(index + 1));
  const stop = stops[index];
  announce(`${stepLine(stop)}: ${stop.title}${stop.side ? `, ${stop.side}` : ""}`);
  if (playing && fresh) {
    tone(660);
    sayStop();
  }
  if (manual) heading.focus({ preventScroll: true });
  persist();
  paint();
}

function finish(at = now(), push = false) {
  if (playing) practised += at - since;
  playing = false;
  if (session) writeLog(true);
  session = null;
  phase = root.dataset.phase = "done";
  root.classList.remove("is-playing");
  keepAwake(false);
  leavePracticeView();
  write(STATE_KEY, null);
  el.practised.textContent = exact(practised / 1000);
  el.stop.hidden = true;
  el.finish.hidden = false;
  history[push ? "pushState" : "replaceState"](null, "", data.finish + (level === data.level ? "" : `?level=${level}`));
  tone(523, 0.6);
  say("Well done. The routine is finished.", true);
  announce(`Routine finished. You practised for ${exact(practised / 1000)}.`);
  el.finishTitle.focus();
}

function play() {
  if (phase === "done") return go(0, { manual: true });
  if (!session) {
    const t = Date.now();
    session = { id: `${data.slug}-${t}`, started: new Date(t).toISOString() };
  }
  playing = started = true;
  since = now();
  endAt = since + left;
  if (phase === "wait") chimedAt = since;
  if (spokenStop !== index) sayStop();
  tone(660, 0.1);
  enterPracticeView();
  keepAwake(true);
  persist();
  paint();
}

function pause() {
  if (!playing) return;
  left = phaseLeft();
  practised += now() - since;
  playing = false;
  keepAwake(false);
  persist();
  paint();
}

const actions = {
  toggle() {
    if (phase === "wait") return actions.next();
    return playing ? pause() : play();
  },
  prev: () => (phase === "done" ? go(stops.length - 1, { manual: true }) : go(index - 1, { manual: true })),
  next: () => phase !== "done" && go(index + 1, { manual: true }),
  restart() {
    if (phase === "done") return;
    round = 1;
    enter("ready", readyMs());
    persist();
    paint();
  },
  more() {
    if (phase === "done") return;
    if (phase === "wait") {
      enter("hold", 15000);
    } else {
      if (playing) endAt += 15000;
      else left += 15000;
      length += 15000;
    }
    paint();
  },
  leave() {
    pause();
    writeLog(false);
    leavePracticeView();
    paint();
  },
  resume() {
    const saved = read(STATE_KEY);
    el.resume.hidden = true;
    if (!saved) return;
    index = saved.stop - 1;
    round = within(saved.round, 1, stops[index].reps, 1);
    practised = +saved.practised || 0;
    session = saved.session?.id ? saved.session : null;
    phase = ["ready", "hold", "wait"].includes(saved.phase) ? saved.phase : "ready";
    left = within(saved.left, 0, 36e5, readyMs());
    length = Math.max(left, +saved.length || 0);
    render();
    history.replaceState(null, "", href(index + 1));
    heading.focus({ preventScroll: true });
    play();
  },
  over() {
    write(STATE_KEY, null);
    session = null;
    practised = 0;
    go(0, { manual: true });
    play();
  },
};

// --- Drawing -------------------------------------------------------------------------------------

function put(name, value) {
  const node = el[name];
  if (!node) return;
  if (node.textContent !== value) node.textContent = value;
  (node.closest("[data-row]") || node).hidden = !value;
}
function paragraphs(node, texts) {
  node.replaceChildren(...texts.map((text) => Object.assign(document.createElement("p"), { textContent: text })));
}

function showPicture(img) {
  const figure = el.figure;
  let node = figure.querySelector("img");
  figure.classList.toggle("player-figure--rest", !img);
  if (!img) {
    node?.remove();
    return;
  }
  if (!node) {
    node = Object.assign(document.createElement("img"), { className: "player-figure__img", decoding: "async" });
    figure.prepend(node);
  }
  if (node.getAttribute("src") !== img.src) {
    node.removeAttribute("srcset");
    Object.assign(node, { alt: img.alt, width: img.width, height: img.height, sizes: img.sizes });
    node.srcset = img.srcset;
    node.src = img.src;
  }
  node.classList.toggle("is-mirrored", !!img.mirror);
}

function render() {
  const stop = stops[index];
  const next = stops[index + 1];
  put("count", stepLine(stop));
  put("stopNumber", String(index + 1));
  put("section", stop.section);
  put("title", stop.title);
  put("sanskrit", stop.sanskrit);
  put("side", stop.side);
  put("hold", holdText(stop));
  put("reps", stop.reps > 1 ? String(stop.reps) : "");
  put("next", next ? `${next.title}${next.side ? `, ${next.side.toLowerCase()}` : ""} (${holdText(next)})` : "");
  el.next.href = href(index + 2);
  el.last.hidden = !!next;
  showPicture(stop.img);
  paragraphs(el.text, stop.text);
  const variation = stop.vars[level];
  el.variation.hidden = !variation;
  if (variation) {
    el.variationTitle.textContent = `${data.levels[level]} variation`;
    paragraphs(el.variationText, variation);
  }
  for (const link of root.querySelectorAll("a[data-level]")) {
    link.href = `${data.base}${index + 1}/?level=${link.dataset.level}`;
    if (link.dataset.level === level) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
  for (const rect of el.progress.querySelectorAll("[data-step]")) {
    rect.classList.toggle("is-current", +rect.dataset.step === stop.step);
  }
  el.pacer.hidden = stop.kind !== "breaths";
  el.pacer.style.setProperty("--breath", `${breathMs()}ms`);
  document.title = `${stop.title} · ${data.title} · ${stepLine(stop)} · ${data.site}`;
  // Fetch the next picture now, so it is there when the stop changes.
  if (next?.img) Object.assign(new Image(), { srcset: next.img.srcset, sizes: next.img.sizes, src: next.img.src });
}

// The bar's segments are drawn by the server for the routine as written; other settings redraw them.
function layoutProgress() {
  const total = routineTotal() / 1000;
  const lengths = new Map();
  for (const stop of stops) lengths.set(stop.step, (lengths.get(stop.step) || 0) + stopMs(stop) / 1000);
  let x = 0;
  for (const rect of el.progress.querySelectorAll("[data-step]")) {
    const width = lengths.get(+rect.dataset.step) || 0;
    rect.setAttribute("x", x.toFixed(1));
    rect.setAttribute("width", width.toFixed(1));
    x += width;
  }
  el.progress.querySelector("svg").setAttribute("viewBox", `0 0 ${total.toFixed(1)} 10`);
}
const customTiming = () => settings.pace !== 1 || settings.breath !== null || settings.ready !== null;

function restartPacer() {
  const pacer = el.pacer;
  pacer.classList.remove("is-breathing");
  void pacer.offsetWidth; // restart the animation from the start of an in-breath
  pacer.classList.add("is-breathing");
}

function paint() {
  if (phase === "done") return;
  const stop = stops[index];
  const ms = phase === "wait" ? 0 : phaseLeft();
  // Before the get-ready starts, the clock shows how long the hold will be.
  const idle = !playing && !started && phase === "ready" && left === length;
  const text = clock(idle ? repMs(stop) : ms);
  if (el.timer.textContent !== text) el.timer.textContent = text;
  put("round", stop.reps > 1 && phase !== "ready" ? `Round ${round} of ${stop.reps}` : "");
  let label = { ready: "Get ready", hold: "Hold", wait: "Time is up" }[phase];
  if (!playing && phase !== "wait") label = started ? "Paused" : "Press Start when ready";
  if (el.phase.textContent !== label) el.phase.textContent = label;
  if (stop.kind === "breaths" && phase === "hold") {
    const n = Math.min(stop.hold, Math.floor((length - ms) / breathMs()) + 1);
    put("breathCount", `Breath ${n} of ${stop.hold}`);
  } else {
    put("breathCount", "");
  }
  const total = routineTotal();
  const remaining = routineLeft();
  const leftText = duration(remaining / 1000);
  if (el.left.textContent !== leftText) el.left.textContent = leftText;
  const done = total - remaining;
  const viewTotal = +el.progress.querySelector("svg").viewBox.baseVal.width;
  el.done.setAttribute("width", ((viewTotal * done) / total).toFixed(1));
  el.progress.setAttribute("aria-valuenow", String(Math.round((100 * done) / total)));
  el.progress.setAttribute("aria-valuetext", `${leftText} left`);
  const toggle = phase === "wait" ? "Next" : playing ? "Pause" : started ? "Resume" : "Start";
  if (el.toggle.textContent !== toggle) el.toggle.textContent = toggle;
  root.dataset.phase = phase;
  root.classList.toggle("is-playing", playing);
}

function tick() {
  if (playing) {
    const t = now();
    // Catch up on every phase that ended while the tab slept; only a fresh change makes a sound.
    while (playing && (phase === "ready" || phase === "hold") && t >= endAt) advance(endAt, t - endAt < 1500);
    const stop = stops[index];
    const seconds = Math.ceil(phaseLeft() / 1000);
    if (countsDown(stop) && seconds <= 3 && seconds >= 1 && seconds !== counted) {
      counted = seconds;
      if (speaks()) say(String(seconds));
      else tone(440, 0.08);
    }
    if (settings.halfway && phase === "hold" && length >= HALFWAY_FROM_MS && !halfwaySaid && phaseLeft() <= length / 2) {
      halfwaySaid = true;
      say("Halfway.");
    }
    if (phase === "wait" && t - chimedAt >= WAIT_CHIME_MS) {
      chimedAt = t;
      tone(520, 0.4, 0.2);
    }
    if (now() - savedAt > 5000) persist();
  }
  paint();
}

// --- Settings ------------------------------------------------------------------------------------

function saveSettings() {
  write(SETTINGS_KEY, { ...settings, level });
  layoutProgress();
  render();
  paint();
}
function setLevel(value) {
  if (!(value in data.levels)) return;
  level = value;
  history.replaceState(null, "", phase === "done" ? location.pathname : href(index + 1));
  saveSettings();
}

const form = el.settings;
form.pace.value = String(settings.pace);
form.breath.value = String(breath());
form.ready.value = String(settings.ready ?? data.transition);
form.addEventListener("change", (event) => {
  settings.pace = within(form.pace.value, 0.5, 2, 1);
  settings.breath = within(form.breath.value, 2, 15, null);
  if (event.target === form.ready) settings.ready = within(form.ready.value, 0, 60, null);
  saveSettings();
});
form.addEventListener("submit", (event) => event.preventDefault());
for (const button of root.querySelectorAll("[data-toggle]")) {
  const name = button.dataset.toggle;
  button.setAttribute("aria-pressed", String(settings[name]));
  button.addEventListener("click", () => {
    settings[name] = !settings[name];
    button.setAttribute("aria-pressed", String(settings[name]));
    if (name === "voice" && !settings.voice) hush();
    saveSettings();
  });
}
if (!canSpeak()) {
  el.noVoice.hidden = false;
  for (const name of ["voice", "coach", "halfway"]) root.querySelector(`[data-toggle=${name}]`).disabled = true;
}

// --- Wiring --------------------------------------------------------------------------------------

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-act], a[data-level]");
  if (!target) return;
  event.preventDefault();
  if (target.dataset.act !== "resume") el.resume.hidden = true;
  if (target.dataset.level) setLevel(target.dataset.level);
  else actions[target.dataset.act]();
});

const KEYS = { " ": "toggle", Enter: "toggle", ArrowLeft: "prev", ArrowRight: "next", r: "restart", R: "restart" };
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (event.key === "Escape" && inPracticeView()) {
    event.preventDefault();
    return actions.leave();
  }
  const action = KEYS[event.key];
  if (!action || phase === "done") return;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  // Space and Enter on a focused button or link already press it.
  if ((event.key === " " || event.key === "Enter") && target.closest("button, a, summary")) return;
  event.preventDefault();
  el.resume.hidden = true;
  actions[action]();
});
onFullscreenLeft(() => actions.leave());

addEventListener("popstate", () => {
  const match = location.pathname.match(/\/play\/(\d+)\/$/);
  if (match) go(+match[1] - 1, { manual: true, push: false });
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") {
    if (playing) keepAwake(true);
    tick();
  } else {
    persist();
  }
});
addEventListener("pagehide", () => {
  persist();
  if (started && phase !== "done") writeLog(false);
});

// A reload comes back to the top of the stop, not to wherever the page was scrolled.
history.scrollRestoration = "manual";

const saved = read(STATE_KEY);
if (saved && saved.stop >= 1 && saved.stop <= stops.length) {
  const stop = stops[saved.stop - 1];
  el.resumeStop.textContent = `Resume at step ${stop.step}`;
  const where = saved.phase === "hold" ? `, with ${clock(saved.left)} of the hold left` : "";
  const side = stop.side ? `, ${stop.side.toLowerCase()}` : "";
  el.resumeText.textContent = `You stopped at step ${stop.step} of ${data.steps}: ${stop.title}${side}${where}.`;
  el.resume.hidden = false;
  // The prompt is the first thing to answer: a press of Space or Enter takes it up.
  el.resumeStop.focus();
}
if (customTiming()) layoutProgress();
render();
history.replaceState(null, "", href(index + 1));
paint();
setInterval(tick, 200);
