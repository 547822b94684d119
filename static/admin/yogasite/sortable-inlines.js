/*
 * Reorderable admin inlines.
 *
 * Any inline (tabular or stacked) whose rows carry a position field gets a drag
 * handle (mouse, pen, touch) and "Move up" / "Move down" buttons per row. The
 * position inputs are renumbered 0..n-1 in display order after every move and
 * before the form is submitted. Rows marked for deletion and untouched extra rows
 * are left alone, so that Django still ignores them.
 *
 * The position field is found by the data-sortable-position attribute that
 * SortableInlineMixin puts on its widget ("hidden" hides the column while this
 * script runs), or else by name: data-sortable-field on the inline group, or
 * "position". Without JavaScript the position inputs stay visible and editable.
 */
"use strict";
(function () {
  const DRAG_CLASS = "sortable-dragging";

  let liveRegion = null;

  function announce(message) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "sortable-status";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    // Clearing first makes screen readers repeat an identical message.
    liveRegion.textContent = "";
    window.setTimeout(() => { liveRegion.textContent = message; }, 50);
  }

  function groupPrefix(group) {
    try {
      return JSON.parse(group.dataset.inlineFormset).options.prefix;
    } catch (error) {
      return group.id.replace(/-group$/, "");
    }
  }

  function fieldName(group) {
    return group.dataset.sortableField || "position";
  }

  function positionInput(group, row) {
    return (
      row.querySelector("[data-sortable-position]") ||
      row.querySelector('input[name$="-' + fieldName(group) + '"]')
    );
  }

  function isSortable(group) {
    const template = document.getElementById(groupPrefix(group) + "-empty");
    const sample = template || rows(group)[0];
    return Boolean(sample && positionInput(group, sample));
  }

  function rowIndex(prefix, row) {
    const rest = row.id.slice(prefix.length + 1);
    return /^\d+$/.test(rest) ? Number(rest) : null;
  }

  // Form rows in display order; the "-empty" template row is not one of them.
  function rows(group) {
    const prefix = groupPrefix(group);
    return Array.from(group.querySelectorAll('[id^="' + prefix + '-"]')).filter(
      (el) => rowIndex(prefix, el) !== null && (el.classList.contains("form-row") || el.classList.contains("inline-related"))
    );
  }

  // A table row's non-field errors sit in the row above it and travel with it.
  function unit(row) {
    const previous = row.previousElementSibling;
    return previous && previous.classList.contains("row-form-errors") ? [previous, row] : [row];
  }

  function insertBefore(row, reference) {
    unit(row).forEach((el) => reference.parentNode.insertBefore(el, unit(reference)[0]));
  }

  function insertAfter(row, reference) {
    const parts = unit(row);
    let anchor = reference;
    parts.forEach((el) => {
      anchor.after(el);
      anchor = el;
    });
  }

  function markedForDeletion(row) {
    const box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    return Boolean(box && box.checked);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function controlKey(prefix, name) {
    return name.replace(new RegExp("^" + escapeRegExp(prefix) + "-(\\d+|__prefix__)-"), "");
  }

  function controlValue(control) {
    if (control.type === "checkbox" || control.type === "radio") return control.checked;
    if (control.type === "file") return control.files && control.files.length ? "file" : "";
    if (control.multiple) return Array.from(control.selectedOptions).map((o) => o.value).join("\n");
    return control.value;
  }

  // Mirrors Django's has_changed() for an extra form: compare with the blank template.
  function isUntouchedExtra(group, row) {
    if (row.classList.contains("has_original")) return false;
    const prefix = groupPrefix(group);
    const template = document.getElementById(prefix + "-empty");
    if (!template) return false;
    const blank = {};
    template.querySelectorAll("input[name], select[name], textarea[name]").forEach((control) => {
      blank[controlKey(prefix, control.name)] = controlValue(control);
    });
    const skip = new Set([fieldName(group), "DELETE", "id"]);
    const position = positionInput(group, row);
    return Array.from(row.querySelectorAll("input[name], select[name], textarea[name]")).every((control) => {
      const key = controlKey(prefix, control.name);
      if (control === position || skip.has(key) || control.type === "hidden") return true;
      return !(key in blank) || blank[key] === controlValue(control);
    });
  }

  function counted(group) {
    return rows(group).filter((row) => !markedForDeletion(row) && !isUntouchedExtra(group, row));
  }

  function renumber(group) {
    counted(group).forEach((row, index) => {
      const input = positionInput(group, row);
      if (input && input.value !== String(index)) input.value = String(index);
    });
  }

  function describe(group, row) {
    const list = counted(group);
    const place = list.indexOf(row);
    return place === -1 ? "Moved." : "Moved to position " + (place + 1) + " of " + list.length + ".";
  }

  function button(label, symbol, action) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = "sortable-move";
    el.dataset.sortableMove = action;
    el.setAttribute("aria-label", label);
    el.title = label;
    el.textContent = symbol;
    return el;
  }

  function decorate(group, row) {
    if (row.querySelector(".sortable-controls")) return;
    const controls = document.createElement("span");
    controls.className = "sortable-controls";
    const handle = document.createElement("span");
    handle.className = "sortable-handle";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    controls.append(handle, button("Move up", "▲", "up"), button("Move down", "▼", "down"));

    const input = positionInput(group, row);
    if (input && input.dataset.sortablePosition === "hidden") {
      const holder = input.closest("td, .fieldBox, .form-row");
      if (holder) holder.classList.add("sortable-hidden");
    }

    // Tabular: after the row's caption, which Django floats above the row; stacked: heading first.
    const cell = row.tagName === "TR" ? row.querySelector("td.original") : row.querySelector("h3");
    if (cell) {
      cell.classList.add("sortable-cell");
      if (row.tagName === "TR") cell.append(controls);
      else cell.prepend(controls);
    }
  }

  function hideHeader(group) {
    const template = document.getElementById(groupPrefix(group) + "-empty") || rows(group)[0];
    const input = template && positionInput(group, template);
    if (!input || input.dataset.sortablePosition !== "hidden") return;
    const header = group.querySelector("th.column-" + fieldName(group));
    if (header) header.classList.add("sortable-hidden");
  }

  // After a failed save the rows come back in form order; show them in the order the
  // editor had arranged, which the submitted positions still hold.
  function restoreOrder(group, always) {
    // A page fresh from the server already shows the stored order (a pose's muscles are
    // numbered within each role, so their numbers alone would interleave them).
    if (!always && !document.querySelector(".errornote")) return;
    const all = rows(group);
    if (!all.length) return;
    const keyed = all
      .filter((row) => !isUntouchedExtra(group, row))
      .map((row, index) => ({ row, index, position: Number((positionInput(group, row) || {}).value) }));
    if (keyed.some((item) => Number.isNaN(item.position))) return;
    keyed.sort((a, b) => a.position - b.position || a.index - b.index);
    const wanted = keyed.map((item) => item.row).concat(all.filter((row) => isUntouchedExtra(group, row)));
    if (wanted.every((row, index) => row === all[index])) return;
    const anchor = all[all.length - 1].nextSibling;
    const parent = all[0].parentNode;
    wanted.forEach((row) => unit(row).forEach((el) => parent.insertBefore(el, anchor)));
  }

  function setup(group) {
    if (group.dataset.sortableReady || !isSortable(group)) return;
    group.dataset.sortableReady = "true";
    group.classList.add("sortable-inline");
    const prefix = groupPrefix(group);
    rows(group).forEach((row) => {
      if (row.classList.contains("has_original")) row.dataset.sortableIndex = String(rowIndex(prefix, row));
      decorate(group, row);
    });
    const template = document.getElementById(prefix + "-empty");
    if (template) decorate(group, template);
    hideHeader(group);
    restoreOrder(group);
  }

  function move(group, row, direction) {
    const list = rows(group);
    const index = list.indexOf(row);
    if (direction === "up" && index > 0) insertBefore(row, list[index - 1]);
    else if (direction === "down" && index !== -1 && index < list.length - 1) insertAfter(row, list[index + 1]);
    else {
      announce(direction === "up" ? "Already first." : "Already last.");
      return;
    }
    renumber(group);
    announce(describe(group, row));
  }

  function ownerRow(group, element) {
    return rows(group).find((row) => row.contains(element)) || null;
  }

  // Keyboard and click: the move buttons.
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-sortable-move]");
    if (!target) return;
    const group = target.closest(".sortable-inline");
    const row = group && ownerRow(group, target);
    if (!row) return;
    event.preventDefault();
    move(group, row, target.dataset.sortableMove);
    // Moving a node can drop focus in some browsers; keep it on the pressed button.
    target.focus();
  });

  // Pointer dragging: the row follows the pointer, its neighbours make room.
  let drag = null;

  document.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest(".sortable-handle");
    if (!handle || (event.pointerType === "mouse" && event.button !== 0)) return;
    const group = handle.closest(".sortable-inline");
    const row = group && ownerRow(group, handle);
    if (!row) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    drag = { group, row, handle, pointerId: event.pointerId };
    row.classList.add(DRAG_CLASS);
    group.classList.add("sortable-active");
  });

  document.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    event.preventDefault();
    const y = event.clientY;
    const others = rows(drag.group).filter((row) => row !== drag.row);
    const below = others.find((row) => {
      const box = row.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    if (below) {
      if (unit(below)[0].previousElementSibling !== drag.row) insertBefore(drag.row, below);
    } else if (others.length && others[others.length - 1].nextElementSibling !== drag.row) {
      insertAfter(drag.row, others[others.length - 1]);
    }
    const edge = 40;
    if (y < edge) window.scrollBy(0, -12);
    else if (y > window.innerHeight - edge) window.scrollBy(0, 12);
  });

  function endDrag(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const { group, row, handle } = drag;
    drag = null;
    if (handle.hasPointerCapture(event.pointerId)) handle.releasePointerCapture(event.pointerId);
    row.classList.remove(DRAG_CLASS);
    group.classList.remove("sortable-active");
    renumber(group);
    announce(describe(group, row));
  }

  document.addEventListener("pointerup", endDrag);
  document.addEventListener("pointercancel", endDrag);

  // A row added by "Add another" is a copy of the template: it already has the
  // controls; it only needs a place in the numbering once it has content.
  document.addEventListener("formset:added", (event) => {
    const group = event.target.closest(".sortable-inline");
    if (group) decorate(group, event.target);
  });

  // Removing an unsaved row makes Django renumber every form in display order,
  // which would turn a saved row moved below a new one into a new form. Give saved
  // rows their original form numbers back and number the new rows after them.
  // Django renumbers after announcing the removal, so this waits for it to finish.
  document.addEventListener("formset:removed", (event) => {
    const prefix = event.detail && event.detail.formsetName;
    const group = prefix && document.getElementById(prefix + "-group");
    if (group && group.classList.contains("sortable-inline")) queueMicrotask(() => restoreFormNumbers(group, prefix));
  });

  function restoreFormNumbers(group, prefix) {
    const pattern = new RegExp("(" + escapeRegExp(prefix) + "-(\\d+|__prefix__))");
    const all = rows(group);
    let next = all.filter((row) => row.dataset.sortableIndex !== undefined).length;
    all.forEach((row) => {
      const target = row.dataset.sortableIndex !== undefined ? Number(row.dataset.sortableIndex) : next++;
      const replacement = prefix + "-" + target;
      [row, ...row.querySelectorAll("*")].forEach((el) => {
        ["id", "name", "htmlFor"].forEach((attr) => {
          if (el[attr] && typeof el[attr] === "string") el[attr] = el[attr].replace(pattern, replacement);
        });
      });
    });
    renumber(group);
  }

  // Whatever happened since the last move (a row filled in, a row marked for
  // deletion), the saved order is the order on screen.
  document.addEventListener(
    "submit",
    (event) => {
      event.target.querySelectorAll(".sortable-inline").forEach(renumber);
    },
    true
  );

  function init() {
    document.querySelectorAll(".js-inline-admin-formset").forEach(setup);
  }

  // Rows given their positions back (kept-form.js restoring typed work) are shown in that order.
  document.addEventListener("sortable:reorder", () => {
    document.querySelectorAll(".sortable-inline").forEach((group) => restoreOrder(group, true));
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
