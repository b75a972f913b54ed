// Figures follow the page's theme (casemap/ui/layout.py, theme_sync).
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  const embed = __EMBED__;
  const pageTheme = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    if (!app) return null;
    const rgb = (getComputedStyle(app).backgroundColor.match(/[0-9.]+/g) || []).map(Number);
    if (rgb.length !== 3 && rgb.length !== 4) return null;
    const light = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    return light > 128 ? "light" : "screen";
  };
  // A link that names a theme but not the front end's switch: add the switch and load again, once per tab.
  const url = new URL(win.location.href);
  const linked = url.searchParams.get("theme");
  if (!win.__casemapThemeLoaded && embed[linked] && url.searchParams.get("embed_options") !== embed[linked]) {
    const tried = "casemap-theme-link-" + linked;
    if (!win.sessionStorage.getItem(tried)) {
      win.sessionStorage.setItem(tried, "1");
      url.searchParams.set("embed_options", embed[linked]);
      win.location.replace(url.toString());
      return;
    }
  }
  win.__casemapThemeLoaded = true;
  if (win.__casemapThemeWatch) return;
  let asked = "", askedAt = 0;
  win.__casemapThemeWatch = win.setInterval(() => {
    const marker = doc.querySelector(".casemap-theme");
    const page = pageTheme();
    if (!marker || !page) return;
    const drawn = marker.getAttribute("data-drawn");
    if (drawn === page) { asked = ""; return; }
    const now = Date.now();
    if (asked === drawn + page && now - askedAt < 4000) return;  // a rerun is on its way
    const button = doc.querySelector(".st-key-theme_rerun button");
    if (!button) return;
    asked = drawn + page;
    askedAt = now;
    button.click();
  }, 700);
})();
