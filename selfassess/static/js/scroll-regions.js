/* Wide tables scroll sideways inside their own box on narrow screens (app.css). A box that
 * scrolls must be reachable from the keyboard, or its hidden columns cannot be read without a
 * mouse (WCAG 2.1.1; axe-core's scrollable-region-focusable). Each such box that really overflows
 * is put in the tab order; a wrapper that is not itself a table becomes a named region (its name
 * from the table's caption, else the heading before it), so the stop is announced. Checked on
 * load and again when the window changes size; a box that no longer overflows leaves the tab
 * order again.
 */
(function () {
  "use strict";

  var BOXES = ".table, .table-scroll, .nhsuk-table-container, .nhsuk-table-responsive";

  function nameFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var node = box.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) {
      node = node.previousElementSibling;
    }
    return node ? node.textContent.trim() : "Table";
  }

  function mark(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    var ours = box.getAttribute("data-scroll-region") === "yes";
    if (overflows && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-scroll-region", "yes");
      if (box.tagName !== "TABLE" && !box.hasAttribute("role")) {
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", nameFor(box) + " (scrolls sideways)");
        }
      }
    } else if (!overflows && ours) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-scroll-region");
    }
  }

  function markAll() {
    var boxes = document.querySelectorAll(BOXES);
    for (var i = 0; i < boxes.length; i += 1) {
      mark(boxes[i]);
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markAll, 100);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markAll);
  } else {
    markAll();
  }
}());
