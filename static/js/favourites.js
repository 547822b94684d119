// The hearts on cards and pages: a pose or routine kept among the practitioner's favourites, in
// this browser only. Loaded on every page; does nothing where there is no heart.

import { isFavourite, setFavourite } from "./record.js";

function show(button) {
  button.setAttribute("aria-pressed", String(isFavourite(button.dataset.favourite, button.dataset.slug)));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-favourite]");
  if (!button) return;
  event.preventDefault();
  const { favourite: kind, slug, title, url } = button.dataset;
  setFavourite(kind, slug, { title, url }, button.getAttribute("aria-pressed") !== "true");
  for (const same of document.querySelectorAll(`[data-favourite="${kind}"][data-slug="${CSS.escape(slug)}"]`)) show(same);
});

function showAll() {
  document.querySelectorAll("[data-favourite]").forEach(show);
}
// Another tab may have changed them.
addEventListener("storage", showAll);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showAll);
else showAll();
