/*
 * Who else is editing: while a change form is open, a heartbeat every 20 seconds
 * tells the server this page is being edited, and the answer names the other
 * editors on the same page and since when. Nothing is locked: the editor can
 * dismiss the notice and edit anyway; a save over someone else's is still asked
 * to confirm.
 */
"use strict";
(function () {
  const EVERY_MS = 20000;
  const page = location.pathname;
  // The admin's root is what comes before /<app>/<model>/<id>/change/.
  const match = page.match(/^(.*\/)[\w-]+\/[\w-]+\/[^/]+\/change\/$/);
  const form = document.querySelector('#content-main form[id$="_form"]');
  const tokenField = form && form.querySelector("[name=csrfmiddlewaretoken]");
  if (!match || !tokenField) return;
  const url = match[1] + "presence/";
  let notice = null;
  let dismissed = false;

  function body(left) {
    const data = new URLSearchParams({ page, csrfmiddlewaretoken: tokenField.value });
    if (left) data.set("left", "1");
    return data;
  }

  function describe(others) {
    const names = others.map((other) => other.name + " (since " + other.since_text + ")");
    const who = names.length === 1 ? names[0] + " is" : names.slice(0, -1).join(", ") + " and " + names.slice(-1) + " are";
    return (
      who +
      " editing this page. You can still edit it; if you both save, the second save is asked to confirm before it replaces the first."
    );
  }

  function show(others) {
    if (!others.length || dismissed) {
      if (notice) notice.remove();
      notice = null;
      return;
    }
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "presence-notice";
      notice.setAttribute("role", "status");
      const text = document.createElement("p");
      const anyway = document.createElement("button");
      anyway.type = "button";
      anyway.className = "button";
      anyway.textContent = "Edit anyway";
      anyway.addEventListener("click", () => {
        dismissed = true;
        show([]);
      });
      notice.append(text, anyway);
      form.parentNode.insertBefore(notice, form);
    }
    notice.querySelector("p").textContent = describe(others);
  }

  async function beat() {
    try {
      const response = await fetch(url, { method: "POST", body: body(false), credentials: "same-origin" });
      if (response.ok) show((await response.json()).others);
    } catch (error) {
      // Offline or the server restarting: try again at the next beat.
    }
  }

  beat();
  setInterval(beat, EVERY_MS);
  window.addEventListener("pagehide", () => navigator.sendBeacon(url, body(true)));
})();
