// The briefing page's keys and timer (casemap/ui/layout.py fills in the seconds).
// Installed once per browser tab; it acts only while the page's arrows exist.
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  const auto = __AUTO_SECONDS__;
  const click = (name) => {
    const button = doc.querySelector(".st-key-brief_" + name + " button");
    if (!button) return false;
    if (doc.activeElement && doc.activeElement.blur) doc.activeElement.blur();
    button.click();
    return true;
  };
  if (!win.__casemapBriefKeys) {
    win.__casemapBriefKeys = true;
    const typing = (target) => target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    doc.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
      const forward = ["ArrowRight", " ", "Spacebar", "PageDown"].includes(event.key);
      const back = ["ArrowLeft", "PageUp"].includes(event.key);
      if (!forward && !back) return;
      if (click(forward ? "next" : "previous")) {
        event.preventDefault();
        event.stopPropagation();
      }
    }, true);
    // Space on a focused button would click it a second time when the key comes up.
    doc.addEventListener("keyup", (event) => {
      if (event.key === " " && doc.querySelector(".st-key-brief_next")) event.preventDefault();
    }, true);
  }
  if (win.__casemapBriefTimer) win.clearInterval(win.__casemapBriefTimer);
  win.__casemapBriefTimer = null;
  if (auto > 0) {
    win.__casemapBriefTimer = win.setInterval(() => {
      if (!click("next")) {
        win.clearInterval(win.__casemapBriefTimer);
        win.__casemapBriefTimer = null;
      }
    }, auto * 1000);
  }
})();
