// The timeline's steps are as wide as their share of the routine's time. The share is in a
// data attribute because the Content-Security-Policy refuses style attributes; without this
// script the steps are simply equally wide.
for (const step of document.querySelectorAll(".timeline__step[data-share]")) {
  step.style.flexGrow = step.dataset.share;
}
