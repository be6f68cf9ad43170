/* Keyless Care Portal: small progressive enhancements. CSP-safe: no eval, no inline code.
   Loaded with defer; everything here is optional (the portal works with JavaScript off). */
(function () {
  "use strict";

  // Move focus to the error summary (or any [data-focus-on-load]) inside `scope`.
  function focusMarked(scope) {
    if (!scope || !scope.querySelector) { return; }
    var el = scope.matches && scope.matches("[data-focus-on-load]")
      ? scope : scope.querySelector("[data-focus-on-load]");
    if (el) { el.focus(); }
  }

  // A link in the error summary: bring the label or legend into view with the field,
  // because the browser's own jump hides the question above the input.
  function onSummaryClick(event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link || !link.closest("[data-module='error-summary']")) { return; }
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) { return; }
    var fieldset = input.closest("fieldset");
    var legend = fieldset ? fieldset.querySelector("legend") : null;
    var label = document.querySelector("label[for='" + CSS.escape(input.id) + "']");
    var anchor = (input.type === "radio" || input.type === "checkbox") && legend
      ? legend : (label || legend);
    if (!anchor) { return; }
    event.preventDefault();
    anchor.scrollIntoView();
    input.focus({ preventScroll: true });
  }

  document.addEventListener("click", onSummaryClick);

  // Swapped content only: a live-search result list must never steal focus from the box.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusMarked(event.target);
  });

  // A failed htmx request (htmx 2 swaps no 4xx/5xx, and a lost connection swaps nothing)
  // would otherwise look like a button that does nothing: say so in the page's live region
  // (role="alert", so it is announced without taking focus from where the user works). The
  // texts come translated from the server in data attributes.
  function showRequestProblem(kind) {
    var region = document.querySelector("[data-request-problem]");
    if (!region) { return; }
    var text = region.getAttribute("data-" + kind);
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    var body = document.createElement("div");
    body.className = "alert-body";
    var para = document.createElement("p");
    para.className = "alert-text";
    para.textContent = text;
    body.appendChild(para);
    alert.appendChild(body);
    region.replaceChildren(alert);
    region.scrollIntoView({ block: "nearest" });
  }

  // A 503 marked X-Portal-Unavailable is the database gone for a moment (web/unavailable.py):
  // nothing was saved and the form is still as typed, so sending it again is the way on.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var status = xhr ? xhr.status : 500;
    var database = xhr && xhr.getResponseHeader("X-Portal-Unavailable") === "database";
    showRequestProblem(database ? "unavailable" : status >= 500 ? "server" : "client");
  });
  document.addEventListener("htmx:sendError", function () { showRequestProblem("network"); });
  document.addEventListener("htmx:timeout", function () { showRequestProblem("network"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var region = document.querySelector("[data-request-problem]");
    if (region && event.detail && event.detail.successful) { region.replaceChildren(); }
  });

  // A long main menu (base.html marks it data-long-menu) folds behind its "Menu" button on a
  // narrow screen; the CSS shows the button only there, so a wide screen keeps the whole row.
  function foldLongMenu() {
    var menu = document.querySelector("[data-long-menu]");
    var toggle = menu ? menu.querySelector(".portal-menu-toggle") : null;
    if (!toggle) { return; }
    menu.classList.add("js-menu");
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }


  // Switching language loads the same page again in the other language: what was typed into
  // the page's forms so far comes along, so a citizen who changes language halfway through a
  // question does not start over. Only fields changed from what the page brought are kept, in
  // this tab's sessionStorage, for this address, and read (and removed) by the next page
  // loaded, within two minutes. Passwords, one-time codes, hidden fields (the CSRF token) and
  // files are never kept; nor is the letter's code (autocomplete="one-time-code"), a secret.
  var CARRY = "portal-carry";
  var NEVER = ["password", "hidden", "file", "submit", "button", "reset", "image"];

  function carried(field) {
    return Boolean(field.name) && !field.disabled
      && NEVER.indexOf((field.type || "").toLowerCase()) < 0
      && field.getAttribute("autocomplete") !== "one-time-code";
  }

  // A field changed from what the page brought; on a form that came back with errors, every
  // answer (the server filled them in as typed, so they are its defaults, and the page in the
  // other language is asked for afresh, without them).
  function changedValue(field, all) {
    if (field.type === "radio" || field.type === "checkbox") {
      var keep = all ? field.checked : field.checked !== field.defaultChecked;
      return keep ? { value: field.value, checked: field.checked } : null;
    }
    if (field.tagName === "SELECT") {
      var changed = all || Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
      return changed ? { value: field.value } : null;
    }
    var typed = all ? field.value !== "" : field.value !== field.defaultValue;
    return typed ? { value: field.value } : null;
  }

  function here() { return window.location.pathname + window.location.search; }

  // The page the language link comes back to: this one, or, on a page that answered a form
  // sent to an address only a form may use, the page above it (the server chose it).
  function comesBackTo(link) {
    try {
      var next = new URL(link.href, window.location.href).searchParams.get("next");
      var url = next ? new URL(next, window.location.href) : null;
      return url ? url.pathname + url.search : null;
    } catch (ignored) { return null; }
  }

  function keepTyped(event) {
    var link = event.target.closest ? event.target.closest(".language-switcher a[href]") : null;
    if (!link) { return; }
    var fields = [];
    var answered = document.querySelector("[data-module='error-summary']") !== null;
    document.querySelectorAll("main form").forEach(function (form, index) {
      Array.prototype.forEach.call(form.elements, function (field) {
        var changed = carried(field) ? changedValue(field, answered) : null;
        if (changed) {
          changed.form = index;
          changed.name = field.name;
          fields.push(changed);
        }
      });
    });
    try {
      if (fields.length) {
        window.sessionStorage.setItem(CARRY, JSON.stringify({ path: here(), to: comesBackTo(link), at: Date.now(), fields: fields }));
      } else {
        window.sessionStorage.removeItem(CARRY);
      }
    } catch (ignored) { /* storage off or full: the page simply loads as it is */ }
  }

  function restoreTyped() {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(CARRY) || "null");
      window.sessionStorage.removeItem(CARRY);
    } catch (ignored) { return; }
    var back = saved && (saved.path === here() || (saved.to && here() === saved.to));
    if (!back || Date.now() - saved.at > 120000) { return; }
    var forms = document.querySelectorAll("main form");
    saved.fields.forEach(function (item) {
      var form = forms[item.form];
      var named = form ? form.elements.namedItem(item.name) : null;
      if (!named) { return; }
      var list = named.tagName ? [named] : Array.prototype.slice.call(named);
      list.forEach(function (field) {
        if (!carried(field)) { return; }
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.value === item.value) { field.checked = item.checked; }
        } else {
          field.value = item.value;
        }
      });
    });
  }

  document.addEventListener("click", keepTyped);

  // A print button works only with JavaScript: it stays hidden without.
  function showPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function onReady() {
    showPrintButtons();
    restoreTyped();
    foldLongMenu();
    focusMarked(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
})();
