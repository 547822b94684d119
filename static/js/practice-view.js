// The practice view: while a routine plays, the stop fills the screen (full screen where the
// browser allows it) and the site's header and footer step aside. Escape or "Leave" returns.

const CLASS = "is-practising";

export function inPracticeView() {
  return document.body.classList.contains(CLASS);
}

export function enterPracticeView() {
  if (inPracticeView()) return;
  document.body.classList.add(CLASS);
  const page = document.documentElement;
  // Only from a press or a key: browsers refuse full screen otherwise, and some (iOS) never allow it.
  if (page.requestFullscreen && !document.fullscreenElement && navigator.userActivation?.isActive !== false) {
    page.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
  }
}

export function leavePracticeView() {
  if (!inPracticeView()) return;
  document.body.classList.remove(CLASS);
  if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
}

// Leaving full screen with the browser's own gesture (Escape, swipe) leaves the practice view too.
export function onFullscreenLeft(handler) {
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && inPracticeView()) handler();
  });
}
