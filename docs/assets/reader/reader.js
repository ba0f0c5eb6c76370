/* planpub reader tools: text size and high contrast, remembered in localStorage (applied before first paint by
   the inline script in the page head, which also sets window.planpubReader), and keyboard access to the menu
   drawer, whose opener is a <label> that a keyboard cannot reach by itself. */
(function () {
  "use strict";
  var root = document.documentElement;
  var state = window.planpubReader || { key: "planpub.reader:/", prefs: {} };
  var SIZES = ["normal", "large", "xlarge"];
  /* Storage may hold anything (an older version, another script): keep only values this version knows. */
  if (SIZES.indexOf(state.prefs.text) < 1) delete state.prefs.text;
  if (state.prefs.contrast !== "high") delete state.prefs.contrast;

  function save() {
    try {
      localStorage.setItem(state.key, JSON.stringify(state.prefs));
    } catch (e) {
      /* Private modes may refuse storage; the choice then lasts for this page only. */
    }
  }

  function show() {
    var text = state.prefs.text || "normal";
    var high = state.prefs.contrast === "high";
    if (text === "normal") root.removeAttribute("data-pp-text");
    else root.setAttribute("data-pp-text", text);
    if (high) root.setAttribute("data-pp-contrast", "high");
    else root.removeAttribute("data-pp-contrast");
    document.querySelectorAll("[data-pp-text-choice]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-pp-text-choice") === text));
    });
    document.querySelectorAll("[data-pp-contrast-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(high));
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var size = target && target.closest("[data-pp-text-choice]");
    var contrast = target && target.closest("[data-pp-contrast-toggle]");
    if (size) {
      var choice = size.getAttribute("data-pp-text-choice");
      if (SIZES.indexOf(choice) < 1) delete state.prefs.text;
      else state.prefs.text = choice;
    } else if (contrast) {
      if (state.prefs.contrast === "high") delete state.prefs.contrast;
      else state.prefs.contrast = "high";
    } else {
      return;
    }
    save();
    show();
    scrollers();
  });

  function drawer() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label[for="__drawer"]');
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!toggle || !label) return;
    /* A real button in the label's place, looking the same, that a keyboard and a screen reader can use. */
    var opener = document.createElement("button");
    opener.type = "button";
    opener.className = label.className + " pp-menu-button";
    opener.setAttribute("aria-label", "打开导航菜单");
    opener.innerHTML = label.innerHTML;
    label.parentNode.insertBefore(opener, label);
    label.hidden = true;
    var compact = window.matchMedia("(max-width: 76.234375em)");

    /* The closed drawer stays in the page beside the screen; inert keeps its links out of the tab order. */
    function sync() {
      opener.setAttribute("aria-expanded", String(toggle.checked));
      if (sidebar) sidebar.inert = compact.matches && !toggle.checked;
    }
    opener.addEventListener("click", function () {
      toggle.click();
      var first = toggle.checked && sidebar && sidebar.querySelector("a[href]");
      if (first) first.focus({ preventScroll: true });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        opener.focus();
      }
    });
    toggle.addEventListener("change", sync);
    compact.addEventListener("change", sync);
    sync();
  }

  /* A table wider than a phone scrolls sideways inside its wrapper; a keyboard can scroll it once it takes focus.
     Material adds the wrappers from its own script, hence the observer. */
  function scrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      /* The class shows a reader that the table goes on to the right (see reader.css). */
      wrap.classList.toggle("pp-scrolls", wide);
      if (wide) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格（可左右滚动）");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  /* On a phone a table with a header row is shown as one card per row, each cell under its column's name
     (reader.css): a reader sees the target and the 责任单位 beside the task instead of scrolling for them. The
     names are copied onto the cells here; without script the table scrolls instead. */
  function cards() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i]) cell.setAttribute("data-pp-label", names[i]);
          });
        });
      });
      table.classList.add("pp-cards");
    });
  }

  show();
  drawer();
  cards();
  scrollers();
  window.addEventListener("resize", scrollers);
  var content = document.querySelector(".md-content");
  if (content) new MutationObserver(scrollers).observe(content, { childList: true, subtree: true });
})();
