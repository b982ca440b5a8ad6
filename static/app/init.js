// Loaded as a module, so only browsers that GOV.UK Frontend supports run it; everything works
// without it (the pages are plain HTML forms and links).
import { initAll } from "../build/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
