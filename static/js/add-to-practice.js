// "Add to my practice" on pose cards and pages. The button is a form that posts to the builder, the same
// for every visitor; with this script the pose is added to the practice kept in this browser instead, and
// a line at the foot of the page says so, with the number of poses and a link to the builder.

import { builderUrl, storeCode, storedCode, stepsIn, VERSION } from "./building.js";

const MAX_STEPS = 60;
let bar;

function statusBar(action) {
  if (bar) return bar;
  bar = document.createElement("div");
  bar.className = "build-status";
  bar.setAttribute("role", "status");
  bar.hidden = true;
  bar.dataset.buildStatus = "";
  bar.dataset.action = action;
  document.body.append(bar);
  return bar;
}

function show(message) {
  const code = storedCode();
  const count = stepsIn(code).length;
  const line = statusBar(bar?.dataset.action);
  const text = document.createElement("span");
  text.textContent = message ? `${message} ` : "";
  const link = Object.assign(document.createElement("a"), {
    href: builderUrl(line.dataset.action.replace(/add\/$/, ""), code),
    textContent: `My practice: ${count} ${count === 1 ? "pose" : "poses"}, open the builder`,
  });
  line.replaceChildren(text, link);
  line.hidden = !count && !message;
}

function add(form) {
  const { slug, name } = form.dataset;
  const code = storedCode() || VERSION;
  if (stepsIn(code).length >= MAX_STEPS) {
    show(`Your practice already has ${MAX_STEPS} poses, as many as it can hold.`);
    return;
  }
  if (!storeCode(`${code}.${slug}`)) {
    // Nothing can be kept in this browser: let the form post, and the builder keep it.
    form.submit();
    return;
  }
  show(`${name} added.`);
}

const forms = document.querySelectorAll("form[data-add-practice]");
if (forms.length) {
  // The live region is in the page before anything is said in it, so screen readers announce the change.
  statusBar(forms[0].getAttribute("action"));
  if (stepsIn(storedCode()).length) show("");
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-add-practice]");
    if (!form) return;
    event.preventDefault();
    add(form);
  });
  addEventListener("storage", () => show(""));
}
