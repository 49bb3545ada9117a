// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions (forms marked data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // A copy button for a freshly created token (hidden unless scripts run).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () { button.textContent = "Copied"; });
    });
  });
  // A form refused for bad input comes back with what was typed and the field at fault marked
  // (the error flash names it: session.flash_error). What was typed is kept in this tab's
  // sessionStorage when a form is sent, never sent anywhere; passwords, hidden fields and files
  // are not kept. Without this script the error message still shows, above the form.
  var KEY = "slaforge:sent-form";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.elements || (form.method || "").toLowerCase() !== "post") { return; }
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || /^(password|hidden|file|submit|button|reset)$/.test(el.type)) { return; }
      values.push([el.name, el.value, el.type === "checkbox" || el.type === "radio" ? el.checked : null]);
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ action: form.getAttribute("action") || "", values: values }));
    } catch (e) { /* storage off: the page simply starts empty */ }
  });
  function restore(form, values) {
    var seen = {};
    values.forEach(function (item) {
      var name = item[0], value = item[1], checked = item[2];
      var all = Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
      if (checked !== null) {
        all.forEach(function (el) { if (el.value === value) { el.checked = checked; } });
        return;
      }
      var index = seen[name] || 0;
      seen[name] = index + 1;
      if (all[index]) { all[index].value = value; }
    });
  }
  function inputFor(form, field) {
    // "hours.mon[0]" is the text box "mon"; try the whole name, then its parts, innermost first.
    var names = [field].concat(field.split(/[.\[\]]+/).filter(function (p) { return p && !/^\d+$/.test(p); }).reverse());
    for (var i = 0; i < names.length; i++) {
      var el = form.elements.namedItem(names[i]);
      if (el && el.nodeType === 1) { return el; }
    }
    return null;
  }
  function mark(input, message) {
    var note = document.createElement("p");
    note.className = "field-error";
    note.id = "error-" + input.name;
    note.textContent = message;
    // Inside the field's label, so the note stays in the field's own cell of a form grid.
    var label = input.closest("label");
    if (label) { label.appendChild(note); } else { input.insertAdjacentElement("afterend", note); }
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    input.focus();
  }
  var sent = null;
  try {
    sent = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (e) { sent = null; }
  var error = document.querySelector(".flash-error");
  if (sent && error) {
    var form = Array.prototype.find.call(document.forms, function (f) {
      return (f.getAttribute("action") || "") === sent.action;
    });
    if (form) {
      restore(form, sent.values);
      var field = error.getAttribute("data-field");
      var input = field ? inputFor(form, field) : null;
      if (input) { mark(input, error.textContent.trim()); }
    }
  }
})();
