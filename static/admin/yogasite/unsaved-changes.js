/*
 * Unsaved changes guard for the admin's change forms.
 *
 * The browser asks before leaving the page (a link, the back button, closing the
 * tab) when the form differs from what the page showed: a field typed in, a
 * choice made, an inline row added, removed or moved. Submitting the form does
 * not ask. A form shown again with errors holds input that was not saved yet,
 * so leaving it always asks.
 */
"use strict";
(function () {
  function changeForm() {
    // The change form is "<model>_form"; the list page's forms are named otherwise.
    return document.querySelector('#content-main form[id$="_form"]');
  }

  function fieldState(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return String(field.checked);
    }
    if (field.tagName === "SELECT") {
      return Array.from(field.selectedOptions, (option) => option.value).join(",");
    }
    return field.value;
  }

  // Every named field in document order: moving a row changes the order and the positions.
  function snapshot(form) {
    const parts = [];
    for (const field of form.elements) {
      const skipped =
        !field.name ||
        field.name === "csrfmiddlewaretoken" ||
        field.name.includes("__prefix__") ||
        ["submit", "button", "reset"].includes(field.type);
      if (!skipped) {
        parts.push(field.name + "=" + fieldState(field));
      }
    }
    return parts.join("\n");
  }

  function start(form) {
    const refused = document.querySelector(".errornote") !== null;
    // Taken once the other admin scripts have set up their widgets and rows.
    const saved = snapshot(form);
    let submitting = false;

    // Listened to on the window, so that a handler on the form that cancels the submission is seen.
    window.addEventListener("submit", (event) => {
      if (event.target === form && !event.defaultPrevented) {
        submitting = true;
      }
    });
    // Coming back to this page from the browser's history restores it as it was left.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        submitting = false;
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || (!refused && snapshot(form) === saved)) {
        return;
      }
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set.
      event.returnValue = "";
    });
  }

  function init() {
    const form = changeForm();
    if (form) {
      start(form);
    }
  }

  if (document.readyState === "complete") {
    init();
  } else {
    window.addEventListener("load", init);
  }
})();
