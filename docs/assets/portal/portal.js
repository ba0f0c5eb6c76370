/* planpub portal tools: completes site addresses in the share and embed boxes when the site was built
   without site_url, and copies their text to the clipboard. */
(function () {
  "use strict";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Site paths in marked text become absolute addresses, taken from where this page is being read.
  document.querySelectorAll("[data-pp-absolute]").forEach(function (node) {
    var path = node.getAttribute("data-pp-absolute");
    var root = new URL(node.getAttribute("data-pp-root") || "./", window.location.href).href;
    var pattern = new RegExp("(^|[\"'\uFF0C\\s])" + escapeRegExp(path), "g");
    node.textContent = node.textContent.replace(pattern, function (match, before) {
      return before + root + path;
    });
  });

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text, done); });
    } else {
      fallbackCopy(text, done);
    }
  }

  function fallbackCopy(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (error) { /* the text stays selectable by hand */ }
    document.body.removeChild(area);
  }

  document.querySelectorAll("[data-pp-copy]").forEach(function (button) {
    var label = button.textContent;
    button.addEventListener("click", function () {
      var scope = button.closest("section, details") || document;
      var source = scope.querySelector(button.getAttribute("data-pp-copy"));
      if (!source) { return; }
      copyText(source.textContent, function () {
        button.textContent = "已复制";
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
