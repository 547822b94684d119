// Click-to-load videos: the embedded player is created only when the visitor asks for it,
// so the page itself makes no request to the video's host.
for (const button of document.querySelectorAll("[data-video-embed]")) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    const src = button.dataset.videoEmbed;
    frame.src = src + (src.includes("?") ? "&" : "?") + "autoplay=1";
    frame.title = button.dataset.videoTitle;
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video-frame";
    const placeholder = button.closest("[data-video]");
    placeholder.replaceWith(frame);
    frame.focus();
  });
}
