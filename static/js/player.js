// The routine player. Each stop page works on its own, server-rendered with plain links; this
// module turns it into a timer that needs no touching: it counts down each hold, counts the
// rounds, moves on by itself, chimes and speaks at each change, keeps the screen awake and
// remembers where the practitioner stopped.
//
// Time is measured against a target end time (performance.now()), never by counting ticks, so a
// throttled background tab is still right when it wakes: the interval only repaints.

const $ = (sel) => document.querySelector(sel);
const root = $("[data-player]");
const data = JSON.parse($("#player-data").textContent);
const stops = data.stops;
const el = {};
for (const node of root.querySelectorAll("[data-bind]")) el[node.dataset.bind] = node;

const STATE_KEY = `yogasite:player:${data.slug}`;
const SETTINGS_KEY = "yogasite:player:settings";
const read = (key) => {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
};
const write = (key, value) => {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private browsing or a full store: the player still works, it just forgets.
  }
};
const within = (value, low, high, fallback) => (+value >= low && +value <= high ? +value : fallback);

const stored = read(SETTINGS_KEY) || {};
const settings = {
  pace: within(stored.pace, 0.5, 2, 1),
  breath: within(stored.breath, 2, 15, null),
  ready: within(stored.ready, 0, 60, 5),
  sound: stored.sound !== false,
  voice: stored.voice !== false,
  level: stored.level,
};
const synth = window.speechSynthesis;
const now = () => performance.now();

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
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const breath = () => settings.breath || data.breath;
const repMs = (stop) => (stop.kind === "breaths" ? stop.hold * breath() : stop.hold) * settings.pace * 1000;
const readyMs = () => settings.ready * 1000;
function holdText(stop) {
  const seconds = repMs(stop) / 1000;
  if (stop.kind !== "breaths") return span(seconds);
  return `${stop.hold} breath${stop.hold === 1 ? "" : "s"}, about ${span(seconds)}`;
}

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
let spokenStop = -1;
let savedAt = 0;
let lock = null;
let audio = null;

const phaseLeft = () => (playing ? Math.max(0, endAt - now()) : left);
function enter(next, ms, at = now()) {
  phase = next;
  length = ms;
  counted = 0;
  if (playing) endAt = at + ms;
  else left = ms;
}
function routineLeft() {
  const stop = stops[index];
  let ms = 0;
  for (let j = index + 1; j < stops.length; j++) ms += repMs(stops[j]) * stops[j].reps;
  if (phase === "ready") ms += repMs(stop) * stop.reps;
  if (phase === "hold") ms += phaseLeft() + (stop.reps - round) * repMs(stop);
  return ms;
}

// --- Cues ----------------------------------------------------------------------------------------

function tone(frequency = 660, seconds = 0.2) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!settings.sound || !Context) return;
  audio ||= new Context();
  if (audio.state === "suspended") audio.resume();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  const t = audio.currentTime;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + seconds);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(t);
  oscillator.stop(t + seconds + 0.05);
}
const speaks = () => settings.voice && !!synth;
function say(text, interrupt = false) {
  if (!speaks()) return;
  if (interrupt) synth.cancel();
  synth.speak(new SpeechSynthesisUtterance(text));
}
function announce(text) {
  el.live.textContent = text;
}
function sayStop() {
  const stop = stops[index];
  const previous = stops[index - 1];
  spokenStop = index;
  if (previous && stop.side && previous.step === stop.step) say(`Switch sides. ${stop.side}.`, true);
  else say(stop.side ? `${stop.title}. ${stop.side}.` : `${stop.title}.`, true);
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

// --- Moving through the routine ------------------------------------------------------------------

function href(number) {
  const suffix = level === data.level ? "" : `?level=${level}`;
  return (number > stops.length ? data.finish : `${data.base}${number}/`) + suffix;
}
function persist() {
  savedAt = now();
  if (!started) return;
  const practisedSoFar = practised + (playing ? now() - since : 0);
  write(STATE_KEY, { stop: index + 1, phase, round, left: phaseLeft(), length, practised: practisedSoFar });
}

function advance(at, fresh) {
  const stop = stops[index];
  if (phase === "ready") {
    enter("hold", repMs(stop), at);
    if (fresh) tone(880);
  } else if (round < stop.reps) {
    round += 1;
    enter("hold", repMs(stop), at);
    if (fresh) {
      tone(880);
      say(`Round ${round}.`);
    }
  } else if (stop.manual) {
    phase = "wait";
    if (fresh) {
      tone(520, 0.4);
      say("Time is up. Go on when you are ready.");
    }
    announce("Time is up. Go on when you are ready.");
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
  announce(`Stop ${index + 1} of ${stops.length}: ${stops[index].title}${stops[index].side ? `, ${stops[index].side}` : ""}`);
  if (playing && fresh) {
    tone(660);
    sayStop();
  }
  if (manual) el.title.focus();
  persist();
  paint();
}

function finish(at = now(), push = false) {
  if (playing) practised += at - since;
  playing = false;
  phase = root.dataset.phase = "done";
  keepAwake(false);
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
  playing = started = true;
  since = now();
  endAt = since + left;
  if (spokenStop !== index) sayStop();
  tone(660, 0.1);
  keepAwake(true);
  persist();
  paint();
}

function pause() {
  left = phaseLeft();
  practised += now() - since;
  playing = false;
  keepAwake(false);
  persist();
  paint();
}

const actions = {
  toggle: () => (playing ? pause() : play()),
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
  resume() {
    const saved = read(STATE_KEY);
    el.resume.hidden = true;
    if (!saved) return;
    index = saved.stop - 1;
    round = within(saved.round, 1, stops[index].reps, 1);
    practised = +saved.practised || 0;
    phase = ["ready", "hold", "wait"].includes(saved.phase) ? saved.phase : "ready";
    left = within(saved.left, 0, 36e5, readyMs());
    length = Math.max(left, +saved.length || 0);
    render();
    history.replaceState(null, "", href(index + 1));
    el.title.focus();
    play();
  },
  over() {
    write(STATE_KEY, null);
    go(0, { manual: true });
    play();
  },
};

// --- Drawing -------------------------------------------------------------------------------------

function put(name, value) {
  const node = el[name];
  if (!node) return;
  node.textContent = value;
  (node.closest("[data-row]") || node).hidden = !value;
}
function paragraphs(node, texts) {
  node.replaceChildren(...texts.map((text) => Object.assign(document.createElement("p"), { textContent: text })));
}

function render() {
  const stop = stops[index];
  const next = stops[index + 1];
  put("count", `Stop ${index + 1} of ${stops.length}`);
  put("section", stop.section);
  put("title", stop.title);
  put("sanskrit", stop.sanskrit);
  put("side", stop.side);
  put("hold", holdText(stop));
  put("reps", stop.reps > 1 ? String(stop.reps) : "");
  put("next", next ? `${next.title}${next.side ? `, ${next.side.toLowerCase()}` : ""} (${holdText(next)})` : "");
  el.next.href = href(index + 2);
  el.last.hidden = !!next;
  el.figure.hidden = !stop.img;
  if (stop.img) Object.assign(el.img, stop.img);
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
  document.title = `${stop.title} · ${data.title} · Stop ${index + 1} of ${stops.length} · ${data.site}`;
  // Fetch the next picture now, so it is there when the stop changes.
  if (next?.img) Object.assign(new Image(), { srcset: next.img.srcset, sizes: next.img.sizes, src: next.img.src });
}

function paint() {
  if (phase === "done") return;
  const stop = stops[index];
  const ms = phase === "wait" ? 0 : phaseLeft();
  // Before the get-ready starts, the clock shows how long the hold will be.
  const idle = !playing && phase === "ready" && left === length;
  el.timer.textContent = clock(idle ? repMs(stop) : ms);
  el.bar.style.inlineSize = `${idle || !length ? 0 : 100 * (1 - ms / length)}%`;
  put("round", stop.reps > 1 && phase !== "ready" ? `Round ${round} of ${stop.reps}` : "");
  let label = { ready: "Get ready", hold: "Hold", wait: "Time is up. Tap Next or press → when ready" }[phase];
  if (!playing && phase !== "wait") label = started ? "Paused" : "Press Start when ready";
  el.phase.textContent = label;
  el.left.textContent = duration(routineLeft() / 1000);
  el.toggle.textContent = playing ? "Pause" : started ? "Resume" : "Start";
  root.dataset.phase = phase;
  root.classList.toggle("is-playing", playing);
}

function tick() {
  if (playing) {
    const t = now();
    // Catch up on every phase that ended while the tab slept; only a fresh change makes a sound.
    while (playing && (phase === "ready" || phase === "hold") && t >= endAt) advance(endAt, t - endAt < 1500);
    const seconds = Math.ceil(phaseLeft() / 1000);
    if (playing && phase === "hold" && seconds <= 3 && seconds >= 1 && seconds !== counted && length > 3000) {
      counted = seconds;
      if (speaks()) say(String(seconds));
      else tone(440, 0.08);
    }
    if (now() - savedAt > 5000) persist();
  }
  paint();
}

// --- Settings ------------------------------------------------------------------------------------

function saveSettings() {
  write(SETTINGS_KEY, { ...settings, level });
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
form.ready.value = String(settings.ready);
form.addEventListener("change", () => {
  settings.pace = within(form.pace.value, 0.5, 2, 1);
  settings.breath = within(form.breath.value, 2, 15, null);
  settings.ready = within(form.ready.value, 0, 60, 5);
  saveSettings();
});
form.addEventListener("submit", (event) => event.preventDefault());
for (const button of root.querySelectorAll("[data-toggle]")) {
  const name = button.dataset.toggle;
  button.setAttribute("aria-pressed", String(settings[name]));
  button.addEventListener("click", () => {
    settings[name] = !settings[name];
    button.setAttribute("aria-pressed", String(settings[name]));
    if (name === "voice" && !settings.voice && synth) synth.cancel();
    saveSettings();
  });
}
if (!synth) {
  el.noVoice.hidden = false;
  root.querySelector("[data-toggle=voice]").disabled = true;
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

const KEYS = { " ": "toggle", ArrowLeft: "prev", ArrowRight: "next", r: "restart", R: "restart" };
document.addEventListener("keydown", (event) => {
  const action = KEYS[event.key];
  const target = event.target;
  if (!action || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  // Space on a focused button or link already presses it.
  if (event.key === " " && target.closest("button, a, summary")) return;
  event.preventDefault();
  el.resume.hidden = true;
  actions[action]();
});

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
addEventListener("pagehide", persist);

// A reload comes back to the top of the stop, not to wherever the page was scrolled.
history.scrollRestoration = "manual";
for (const node of root.querySelectorAll("[data-js]")) node.hidden = false;
for (const node of root.querySelectorAll("[data-nojs]")) node.hidden = true;

const saved = read(STATE_KEY);
if (saved && saved.stop >= 1 && saved.stop <= stops.length) {
  el.resumeStop.textContent = `Resume at stop ${saved.stop}`;
  const where = saved.phase === "hold" ? `, with ${clock(saved.left)} of the hold left` : "";
  el.resumeText.textContent = `You stopped at stop ${saved.stop} of ${stops.length}: ${stops[saved.stop - 1].title}${where}.`;
  el.resume.hidden = false;
  // The prompt is the first thing to answer: a press of Space or Enter takes it up.
  el.resumeStop.focus();
}
render();
history.replaceState(null, "", href(index + 1));
paint();
setInterval(tick, 200);
