// bantin serve: live reload and build-error overlay. Injected by the dev server only.
(function () {
  "use strict";
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
    document.documentElement.removeAttribute("data-bantin-error");
  }
  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "bantin-error";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Lỗi khi dựng trang");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.88);color:#fff;" +
      "font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;overflow:auto";
    var h = document.createElement("h2");
    h.textContent = "Không dựng được trang — sửa lỗi dưới đây, trang sẽ tự tải lại";
    h.style.cssText = "font:700 1.2rem/1.3 sans-serif;color:#ffde00;margin:0 0 1rem";
    overlay.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:0;padding-left:1.2rem";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.className = "bantin-error-line";
      li.textContent = e;
      li.style.margin = ".4rem 0";
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    document.body.appendChild(overlay);
    document.documentElement.setAttribute("data-bantin-error", "");
  }
  function swapCSS() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    links.forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set("bantin-reload", Date.now());
      var n = l.cloneNode();
      n.href = u.toString();
      n.onload = function () { l.remove(); };
      l.after(n);
    });
  }
  var es = new EventSource("/__bantin/events");
  es.addEventListener("open", function () { document.documentElement.setAttribute("data-bantin-sse", "open"); });
  es.addEventListener("hello", function () { hide(); });
  es.addEventListener("builderror", function (e) { show(JSON.parse(e.data).errors || []); });
  es.addEventListener("css", function () { hide(); swapCSS(); });
  // kept counts the reloads that left this page as it is (tests wait on it).
  var kept = 0;
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    var here = decodeURI(location.pathname);
    var hadError = !!overlay;
    hide();
    if (hadError || !d.paths || d.paths.indexOf(here) >= 0 || d.paths.indexOf(location.pathname) >= 0) {
      location.reload();
    } else {
      kept++;
      document.documentElement.setAttribute("data-bantin-kept", String(kept));
    }
  });
})();
