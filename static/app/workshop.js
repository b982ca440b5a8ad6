// The workshop view (reports: workshop): the right and left arrow keys, and Page Down and Page Up
// (what most presentation clickers send), follow the screen's rel="next" and rel="prev" links.
// Only an enhancement: the links themselves work without it.
//
// What is typed and not yet saved is never lost by moving on: while the form has unsaved
// changes the keys do not move (a message says to save first), and leaving by a link asks the
// browser's own "leave this page?" question.
const FIELDS = "input, textarea, select, [contenteditable]";
// Boxes that scroll sideways with the arrow keys (see _components.scss) keep them.
const SCROLLERS = ".app-table-scroll, .app-chart-scroll";
const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };
const UNSAVED = "What you typed on this screen is not saved yet. Save it, or clear it, before moving on.";

const form = document.querySelector(".app-workshop form[method='post']");
let submitting = false;

// A screen shown again with an error message holds what was sent and not saved.
const refused = Boolean(document.querySelector(".govuk-error-summary"));

function unsaved() {
  if (!form || submitting) {
    return false;
  }
  return refused || Array.from(form.elements).some((field) => {
    if (field.type === "radio" || field.type === "checkbox") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && field.type !== "hidden")) {
      return field.value !== field.defaultValue;
    }
    return false;
  });
}

function sayUnsaved() {
  let message = form.querySelector(".app-workshop__unsaved");
  if (!message) {
    message = document.createElement("p");
    message.className = "govuk-body app-workshop__unsaved";
    message.setAttribute("role", "status");
    form.prepend(message);
  }
  message.textContent = UNSAVED;
}

form?.addEventListener("submit", () => {
  submitting = true;
});

window.addEventListener("beforeunload", (event) => {
  if (unsaved()) {
    event.preventDefault();
    event.returnValue = "";
  }
});

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
  if (!link) {
    return;
  }
  event.preventDefault();
  if (unsaved()) {
    sayUnsaved();
    return;
  }
  window.location.assign(link.href);
});
