/*
 * Typed work kept in the browser: while an editor works on a change form, what the
 * form holds is kept in localStorage (one entry per page), so that after a crash or
 * a closed tab the form offers it back: "Restore unsaved changes from 10:42?".
 * A successful save clears it; a refused save keeps it.
 */
"use strict";
(function () {
  const PREFIX = "yogasite:kept-form:";
  const SUBMITTED = "yogasite:kept-form-submitted";
  const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  const key = PREFIX + location.pathname;

  function changeForm() {
    return document.querySelector('#content-main form[id$="_form"]');
  }

  function read(name) {
    try {
      return JSON.parse(localStorage.getItem(name) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(name, value) {
    try {
      localStorage.setItem(name, JSON.stringify(value));
    } catch (error) {
      // Storage full or switched off: the form still works, nothing is kept.
    }
  }

  function kept(field) {
    return (
      field.name &&
      field.name !== "csrfmiddlewaretoken" &&
      !field.name.includes("__prefix__") &&
      !["submit", "button", "reset", "file", "password"].includes(field.type)
    );
  }

  function snapshot(form) {
    const fields = [];
    for (const field of form.elements) {
      if (!kept(field)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        fields.push([field.name, field.value, field.checked]);
      } else if (field.tagName === "SELECT") {
        const chosen = Array.from(field.selectedOptions, (o) => [o.value, o.text]);
        fields.push([field.name, chosen, null]);
      } else {
        fields.push([field.name, field.value, null]);
      }
    }
    return fields;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // Rows added before the crash: "Add another" as many times as needed, so their fields exist.
  function addRows(form, fields) {
    fields
      .filter(([name]) => name.endsWith("-TOTAL_FORMS"))
      .forEach(([name, value]) => {
        const prefix = name.slice(0, -"-TOTAL_FORMS".length);
        const total = form.querySelector(`[name="${name}"]`);
        const add = document.querySelector(`#${CSS.escape(prefix)}-group .add-row a, #${CSS.escape(prefix)}-group .add-row button`);
        let missing = Number(value) - Number(total ? total.value : value);
        while (add && missing-- > 0) add.click();
      });
  }

  // Rows moved before the crash were renumbered then; rows only added keep their blank number.
  function moved(before, after) {
    const positions = new Map(before.filter(([name]) => name.endsWith("-position")).map(([n, v]) => [n, v]));
    return after.some(([name, value]) => positions.has(name) && positions.get(name) !== value);
  }

  function restore(form, fields) {
    const before = snapshot(form);
    addRows(form, fields);
    const byName = new Map();
    for (const field of form.elements) {
      if (!kept(field)) continue;
      if (!byName.has(field.name)) byName.set(field.name, []);
      byName.get(field.name).push(field);
    }
    for (const [name, value, checked] of fields) {
      for (const field of byName.get(name) || []) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = checked;
        } else if (field.tagName === "SELECT") {
          const values = value.map(([v]) => v);
          value.forEach(([v, text]) => {
            if (!Array.from(field.options).some((o) => o.value === v)) field.add(new Option(text, v));
          });
          Array.from(field.options).forEach((o) => {
            o.selected = values.includes(o.value);
          });
          if (window.django && window.django.jQuery) window.django.jQuery(field).trigger("change");
        } else if (field.type !== "hidden" || !name.endsWith("-TOTAL_FORMS")) {
          field.value = value;
        }
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    if (moved(before, fields)) document.dispatchEvent(new CustomEvent("sortable:reorder"));
  }

  function when(time) {
    const moment = new Date(time);
    const clock = moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return moment.toDateString() === new Date().toDateString() ? clock : moment.toLocaleDateString() + " " + clock;
  }

  function offer(form, entry) {
    const box = document.createElement("div");
    box.className = "kept-form-offer";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.textContent = "Restore unsaved changes from " + when(entry.savedAt) + "?";
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button";
    yes.textContent = "Restore";
    const no = document.createElement("button");
    no.type = "button";
    no.className = "button kept-form-discard";
    no.textContent = "Discard them";
    box.append(text, yes, no);
    form.parentNode.insertBefore(box, form);
    yes.addEventListener("click", () => {
      restore(form, entry.fields);
      box.remove();
    });
    no.addEventListener("click", () => {
      localStorage.removeItem(key);
      box.remove();
    });
  }

  function start(form) {
    const refused = document.querySelector(".errornote") !== null;
    const pending = sessionStorage.getItem(SUBMITTED);
    sessionStorage.removeItem(SUBMITTED);
    if (pending && !refused) localStorage.removeItem(pending);

    const initial = snapshot(form);
    const entry = read(key);
    if (entry && Date.now() - entry.savedAt > MAX_AGE_MS) localStorage.removeItem(key);
    else if (entry && !refused && !same(entry.fields, initial)) offer(form, entry);

    let last = initial;
    function keep() {
      const now = snapshot(form);
      if (same(now, last)) return;
      last = now;
      if (same(now, initial) && !refused) localStorage.removeItem(key);
      else write(key, { savedAt: Date.now(), fields: now });
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    setInterval(keep, 2000);
    window.addEventListener("pagehide", keep);
    window.addEventListener("submit", (event) => {
      if (event.target === form) {
        keep();
        sessionStorage.setItem(SUBMITTED, key);
      }
    });
  }

  function init() {
    // A page after a save (the list, or the form again) clears what that save kept.
    const pending = sessionStorage.getItem(SUBMITTED);
    const form = changeForm();
    if (form) {
      start(form);
    } else if (pending && document.querySelector(".errornote") === null) {
      sessionStorage.removeItem(SUBMITTED);
      localStorage.removeItem(pending);
    }
  }

  if (document.readyState === "complete") init();
  else window.addEventListener("load", init);
})();
