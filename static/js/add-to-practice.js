// "Add to my practice" on pose cards and pages. The button is a form that posts to the builder, the same
// for every visitor; with this script the pose is added to the practice kept in this browser instead, and
// a line at the foot of the page says so, with the number of poses and a link to the builder.

import { builderUrl, storeCode, storedCode, stepsIn, VERSION } from "./building.js";

const MAX_STEPS = 60;
const HIDDEN = "yogasite:building-line-hidden";
let bar;

// Private browsing may refuse storage: the line then simply shows.
function hiddenFlag(value) {
  try {
    if (value === undefined) return sessionStorage.getItem(HIDDEN) === "1";
    if (value) sessionStorage.setItem(HIDDEN, "1");
    else sessionStorage.removeItem(HIDDEN);
  } catch {
    return false;
  }
  return value;
}

function statusBar(action) {
  if (bar) return bar;
  bar = document.createElement("div");
  bar.className = "build-status";
  bar.setAttribute("role", "status");
  bar.hidden = true;
  bar.dataset.buildStatus = "";
  bar.dataset.action = action;
  // Inside the main landmark, where the buttons are, for those who move by landmarks.
  (document.querySelector("main") || document.body).append(bar);
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
  const hide = Object.assign(document.createElement("button"), {
    type: "button",
    className: "button--quiet build-status__hide",
    textContent: "Hide",
  });
  hide.addEventListener("click", () => {
    line.hidden = true;
    // Until the next pose is added in this tab, the line stays out of the way.
    hiddenFlag(true);
  });
  line.replaceChildren(text, link, hide);
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
  hiddenFlag(false);
  show(`${name} added.`);
}

const forms = document.querySelectorAll("form[data-add-practice]");
if (forms.length) {
  // The live region is in the page before anything is said in it, so screen readers announce the change.
  statusBar(forms[0].getAttribute("action"));
  if (stepsIn(storedCode()).length && !hiddenFlag()) show("");
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-add-practice]");
    if (!form) return;
    event.preventDefault();
    add(form);
  });
  addEventListener("storage", () => bar.hidden || show(""));
}
