// Loaded as a module, so only browsers that GOV.UK Frontend supports run it; everything works
// without it (the pages are plain HTML forms and links).
import { initAll } from "../build/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A table or chart wider than the screen scrolls in its own box (see _components.scss): say so
// above each box that overflows, and take boxes that do not out of the tab order.
const hint = (box) => {
  let note = box.previousElementSibling;
  if (!note?.classList.contains("app-table-scroll__hint")) {
    note = document.createElement("p");
    note.className = "app-table-scroll__hint";
    note.textContent = box.classList.contains("app-chart-scroll")
      ? "Scroll sideways to see the whole chart"
      : "Scroll sideways to see all columns";
    box.before(note);
  }
  return note;
};
const markOverflow = () => {
  for (const box of document.querySelectorAll(".app-table-scroll, .app-chart-scroll")) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
    hint(box).hidden = !overflows;
    box.tabIndex = overflows ? 0 : -1;
  }
};
markOverflow();
window.addEventListener("resize", markOverflow);
