/* Start the NHS.UK frontend's components (header menu, error summary focus, character count,
 * details, radios' conditional reveals, …). A module script: it runs once the page is parsed,
 * and browsers too old for modules keep the plain, fully working HTML. */
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
