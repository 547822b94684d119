// Registers the service worker that lets saved routines play offline. It caches nothing unasked.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // No offline use in this browser (private mode, old engine): the site works as before.
  });
}
