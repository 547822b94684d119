// "Save for offline" on a routine's page: stores the routine's page, cheat sheet, every player
// stop, the finish screen, the pictures and the player's files in a cache of their own, which the
// service worker answers from only when the network cannot.

import { markSaved, savedRoutines } from "./record.js";

const SAVED = "yogasite-saved-";
const supported = "caches" in window && "serviceWorker" in navigator;

export async function forgetAllSaved() {
  if (!("caches" in window)) return;
  const names = (await caches.keys()).filter((name) => name.startsWith(SAVED));
  await Promise.all(names.map((name) => caches.delete(name)));
}

async function isSaved(slug) {
  return (await caches.has(SAVED + slug)) && slug in savedRoutines();
}

function setUp(box) {
  // Read when used: a page may change what the box saves (the builder, as its practice changes), then
  // sends "offline:refresh" to the box.
  const data = () => box.dataset;
  const save = box.querySelector("[data-act=save]");
  const forget = box.querySelector("[data-act=forget]");
  const state = box.querySelector("[data-state]");

  function show(saved, message) {
    save.textContent = saved ? "Save again" : "Save for offline";
    forget.hidden = !saved;
    state.textContent = message ?? (saved ? "Saved on this device: it plays without a connection." : "");
    box.dataset.saved = String(saved);
  }

  save.addEventListener("click", async () => {
    save.disabled = true;
    show(box.dataset.saved === "true", "Saving…");
    const { slug, title, url, manifest } = data();
    try {
      await navigator.serviceWorker.ready;
      const response = await fetch(manifest, { cache: "no-store" });
      if (!response.ok) throw new Error(response.statusText);
      const { urls } = await response.json();
      await caches.delete(SAVED + slug); // a fresh copy, nothing left from an older version
      const cache = await caches.open(SAVED + slug);
      await cache.addAll(urls);
      markSaved(slug, { title, url, saved: new Date().toISOString() });
      show(true);
    } catch {
      await caches.delete(SAVED + slug);
      markSaved(slug, null);
      show(false, "It could not be saved: check the connection and the space on this device, then try again.");
    } finally {
      save.disabled = false;
    }
  });

  forget.addEventListener("click", async () => {
    const { slug } = data();
    await caches.delete(SAVED + slug);
    markSaved(slug, null);
    show(false, "Removed from this device.");
    save.focus();
  });

  box.addEventListener("offline:refresh", () => isSaved(data().slug).then((saved) => show(saved)));
  isSaved(data().slug).then((saved) => show(saved));
}

if (supported) document.querySelectorAll("[data-offline-save]").forEach(setUp);
else document.querySelectorAll("[data-offline-save]").forEach((box) => (box.hidden = true));
