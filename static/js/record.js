// The practitioner's own record, kept in this browser's local storage and never sent anywhere:
// favourite routines and poses, the practice log, and the routines saved for offline use.

const FAVOURITES = "yogasite:favourites";
const LOG = "yogasite:practice-log";
const SAVED = "yogasite:saved";
const PREFIX = "yogasite:";

export function read(key, fallback = null) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

export function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    // Private browsing or a full store: everything still works, it is just not remembered.
    return false;
  }
}

// --- Favourites: {pose: {slug: {title, url}}, routine: {...}} ----------------------------------

export function favourites() {
  const stored = read(FAVOURITES, {});
  return { pose: stored.pose || {}, routine: stored.routine || {} };
}

export function isFavourite(kind, slug) {
  return slug in (favourites()[kind] || {});
}

export function setFavourite(kind, slug, item, on) {
  const all = favourites();
  if (!(kind in all)) return false;
  if (on) all[kind][slug] = { title: item.title, url: item.url };
  else delete all[kind][slug];
  write(FAVOURITES, all);
  return on;
}

// --- The practice log: one entry per practice, written when it ends -----------------------------

export function practiceLog() {
  const log = read(LOG, []);
  return Array.isArray(log) ? log.filter((entry) => entry && entry.id && entry.date) : [];
}

// A practice is logged under its id: ending it again (after a resume) updates the same entry.
export function logPractice(entry) {
  const log = practiceLog().filter((old) => old.id !== entry.id);
  log.push(entry);
  log.sort((a, b) => (a.started < b.started ? -1 : 1));
  write(LOG, log);
}

export function localDate(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function dayBefore(day) {
  const [y, m, d] = day.split("-").map(Number);
  return localDate(new Date(y, m - 1, d - 1));
}

// Days in a row with a practice, up to today; a streak still stands today if it reached yesterday.
export function streak(log, today = localDate()) {
  const days = new Set(log.map((entry) => entry.date));
  let day = days.has(today) ? today : dayBefore(today);
  let count = 0;
  while (days.has(day)) {
    count += 1;
    day = dayBefore(day);
  }
  return count;
}

// Minutes practised since Monday of this week.
export function minutesThisWeek(log, now = new Date()) {
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  const from = localDate(monday);
  return log.filter((entry) => entry.date >= from).reduce((sum, entry) => sum + (+entry.minutes || 0), 0);
}

// --- Routines saved for offline use: {slug: {title, url, saved}} ---------------------------------

export const savedRoutines = () => read(SAVED, {});

export function markSaved(slug, item) {
  const saved = savedRoutines();
  if (item) saved[slug] = item;
  else delete saved[slug];
  write(SAVED, saved);
}

// --- Everything at once ---------------------------------------------------------------------------

export function everything() {
  return {
    exported: new Date().toISOString(),
    favourites: favourites(),
    practice_log: practiceLog(),
    saved_for_offline: savedRoutines(),
    building: read("yogasite:building", ""),
  };
}

// Removes every trace the site keeps in this browser: the record, player settings and resume points.
export function clearAll() {
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key.startsWith(PREFIX)) keys.push(key);
  }
  keys.forEach((key) => localStorage.removeItem(key));
  // The practice being built is also in the builder's own cookie, for its pages without a script.
  document.cookie = "practice_build=; path=/practice/build/; max-age=0; samesite=lax";
}
