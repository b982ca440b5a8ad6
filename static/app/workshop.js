// The workshop view (reports: workshop): the right and left arrow keys, and Page Down and Page Up
// (what most presentation clickers send), follow the screen's rel="next" and rel="prev" links.
// Only an enhancement: the links themselves work without it.
const FIELDS = "input, textarea, select, [contenteditable]";
// Boxes that scroll sideways with the arrow keys (see _components.scss) keep them.
const SCROLLERS = ".app-table-scroll, .app-chart-scroll";
const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };

document.addEventListener("keydown", (event) => {
  const rel = KEYS[event.key];
  if (!rel || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest(FIELDS) || target?.closest(SCROLLERS)) {
    return;
  }
  const link = document.querySelector(`.app-workshop a[rel="${rel}"]`);
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
