(function () {
  "use strict";
  // Everything shown here comes from the page's JSON and is put in with textContent only.
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var detail = document.getElementById("detail");
  var selected = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function row(dl, name, value, cls) {
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", cls || null, value));
  }

  // A PDF's page images: the boxes of the figure shown are outlined.
  function showBoxes(id, reveal) {
    document.querySelectorAll(".box.on").forEach(function (b) { b.classList.remove("on"); });
    var boxes = document.querySelectorAll(".box[data-box='" + id + "']");
    boxes.forEach(function (b) { b.classList.add("on"); });
    if (reveal && boxes.length) {
      openTab("pages");
      boxes[0].scrollIntoView({ block: "center" });
    }
    return boxes.length;
  }

  function showMark(id) {
    var m = data.marks[id];
    if (!m) return;
    showBoxes(id, false);
    detail.replaceChildren();
    var printed = document.getElementById(id);
    detail.appendChild(el("h3", null, "Line " + m.line + ": \u201c" + (printed ? printed.textContent : "") + "\u201d"));
    m.figures.forEach(function (f) {
      var dl = el("dl");
      row(dl, "table", f.table);
      row(dl, "row", f.row);
      row(dl, "key", f.key);
      row(dl, "value", f.value, "value");
      if (f.origin !== "rules") row(dl, "read by", f.origin);
      detail.appendChild(dl);
    });
    var dl = el("dl");
    if (m.summary.length) row(dl, "summary", m.summary.join(", "));
    m.repairs.forEach(function (r) {
      row(dl, "repair", "printed \u2018" + r.original + "\u2019 \u2192 " + r.value + " (" + r.reason + ")", "repair");
    });
    m.gold.forEach(function (g) {
      row(dl, "gold", g.key + ": expected " + g.expected + ", extracted " + g.got, "gold");
    });
    if (m.checks.length) {
      var dd = el("dd");
      m.checks.forEach(function (c, i) {
        var a = el("a", null, c[1]);
        a.href = "#" + c[0];
        a.setAttribute("data-check", c[0]);
        if (i) dd.appendChild(document.createTextNode(" \u00b7 "));
        dd.appendChild(a);
      });
      dl.appendChild(el("dt", null, "failed checks"));
      dl.appendChild(dd);
    }
    if (dl.childNodes.length) detail.appendChild(dl);
  }

  function focusMark(id) {
    var node = document.getElementById(id);
    if (!node) return;
    node.scrollIntoView({ block: "center" });
    node.focus({ preventScroll: true });
    showMark(id);
  }

  function goLine(n) {
    var line = document.getElementById("L" + n);
    if (!line) return;
    line.scrollIntoView({ block: "center" });
    line.classList.add("flash");
    setTimeout(function () { line.classList.remove("flash"); }, 1500);
  }

  function openTab(name) {
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute("data-tab") === name);
    });
    document.querySelectorAll(".tab").forEach(function (t) {
      t.classList.toggle("active", t.id === "tab-" + name);
    });
  }

  function selectCheck(article, markId) {
    if (selected) selected.classList.remove("selected");
    document.querySelectorAll("mark.involved").forEach(function (m) { m.classList.remove("involved"); });
    selected = article;
    article.classList.add("selected");
    var ids = (article.getAttribute("data-marks") || "").split(" ").filter(Boolean);
    ids.forEach(function (id) {
      var m = document.getElementById(id);
      if (m) m.classList.add("involved");
    });
    if (markId || ids.length) {
      focusMark(markId || ids[0]);
    } else {
      var link = article.querySelector("[data-line]");
      if (link) goLine(link.getAttribute("data-line"));
    }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var tab = t.closest("button[data-tab]");
    if (tab) { openTab(tab.getAttribute("data-tab")); return; }
    var toCheck = t.closest("[data-check]");
    if (toCheck) {
      ev.preventDefault();
      var target = document.getElementById(toCheck.getAttribute("data-check"));
      if (target) {
        openTab("checks");
        target.scrollIntoView({ block: "nearest" });
        selectCheck(target);
      }
      return;
    }
    var article = t.closest("article.check");
    var link = t.closest("[data-mark]");
    if (article) { ev.preventDefault(); selectCheck(article, link ? link.getAttribute("data-mark") : null); return; }
    if (link) { ev.preventDefault(); focusMark(link.getAttribute("data-mark")); return; }
    var line = t.closest("[data-line]");
    if (line) { ev.preventDefault(); goLine(line.getAttribute("data-line")); return; }
    var box = t.closest("[data-box]");
    if (box) { focusMark(box.getAttribute("data-box")); showBoxes(box.getAttribute("data-box"), false); return; }
    var mark = t.closest("mark.fig, mark.fig-cont");
    if (mark) {
      var id = mark.id || mark.getAttribute("data-m");
      showMark(id);
      showBoxes(id, true);
      var first = document.getElementById(id);
      if (first) first.focus({ preventScroll: true });
    }
  });

  document.addEventListener("mouseover", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var mark = t.closest("mark.fig, mark.fig-cont");
    if (mark) { showMark(mark.id || mark.getAttribute("data-m")); return; }
    var link = t.closest("[data-mark]");
    if (link) showMark(link.getAttribute("data-mark"));
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.key === "Enter" && t instanceof Element && t.matches("article.check")) selectCheck(t);
  });

  // Open on what matters: the figure a link names (review.html#f123-130), else the first failed check.
  var wanted = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (wanted && wanted.matches("mark.fig")) {
    focusMark(wanted.id);
  } else if (wanted && wanted.matches("article.check")) {
    selectCheck(wanted);
  } else if (!wanted) {
    var first = document.querySelector("article.check");
    if (first) selectCheck(first);
  }
})();
