// "My practice": reads the practitioner's record from this browser and shows it. Export writes it
// to a file on the device; "Clear all" removes it. Nothing is sent to the server.

import { clearAll, everything, favourites, localDate, minutesThisWeek, practiceLog, savedRoutines, streak } from "./record.js";
import { forgetAllSaved } from "./offline.js";

const root = document.querySelector("[data-practice]");
const status = root.querySelector("[data-status]");
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const minutes = (n) => `${Math.round(n * 10) / 10} min`;

function link(item) {
  const li = document.createElement("li");
  const a = Object.assign(document.createElement("a"), { href: item.url, textContent: item.title });
  li.append(a);
  return li;
}

function fill(kind, items) {
  const list = root.querySelector(`[data-list=${kind}]`);
  list.replaceChildren(...items.map(link));
  list.hidden = !items.length;
  root.querySelector(`[data-empty=${kind}]`).hidden = !!items.length;
}

function dateText(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

function show() {
  const faves = favourites();
  const byTitle = (a, b) => a.title.localeCompare(b.title);
  fill("routine", Object.values(faves.routine).sort(byTitle));
  fill("pose", Object.values(faves.pose).sort(byTitle));
  fill("saved", Object.values(savedRoutines()).sort(byTitle));

  const log = practiceLog();
  const days = streak(log, localDate());
  root.querySelector("[data-stat=streak]").textContent = plural(days, "day", "days");
  root.querySelector("[data-stat=week]").textContent = minutes(minutesThisWeek(log));
  root.querySelector("[data-stat=count]").textContent = String(log.length);
  const rows = [...log].reverse().map((entry) => {
    const row = document.createElement("tr");
    const cells = [dateText(entry.date), null, String(entry.minutes), entry.completed ? "Yes" : "No"];
    for (const [i, text] of cells.entries()) {
      const cell = document.createElement(i === 1 ? "th" : "td");
      if (i === 1) {
        cell.scope = "row";
        cell.append(Object.assign(document.createElement("a"), { href: entry.url, textContent: entry.title }));
      } else {
        cell.textContent = text;
      }
      row.append(cell);
    }
    return row;
  });
  root.querySelector("[data-log]").replaceChildren(...rows);
  root.querySelector("[data-log-table]").hidden = !rows.length;
  root.querySelector("[data-empty=log]").hidden = !!rows.length;
}

const actions = {
  export() {
    const blob = new Blob([JSON.stringify(everything(), null, 2)], { type: "application/json" });
    const a = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(blob),
      download: `my-practice-${localDate()}.json`,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    status.textContent = "Your practice was saved as a file.";
  },
  async clear() {
    if (!confirm("Remove your favourites, practice log, player settings and saved routines from this browser?")) return;
    clearAll();
    await forgetAllSaved();
    show();
    status.textContent = "Everything was removed from this browser.";
  },
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-act]");
  if (button) actions[button.dataset.act]();
});
addEventListener("storage", show);
show();
