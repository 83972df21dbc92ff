/* Typeahead for search boxes marked data-suggest="/search/suggest.json" (WAI-ARIA 1.2 combobox, list autocomplete).
 *
 * Without this script each box is a plain search form whose results carry "Add to comparison" links.
 * With it, typing shows up to eight frameworks; Up/Down move through them, Enter opens the one chosen
 * (its compare page when the form holds frameworks already chosen in hidden "with" inputs, else its own
 * page), Escape closes the list. A polite live region says how many suggestions there are.
 * No inline script or style: the list is shown and hidden with the hidden attribute.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var counter = 0;

  function enhance(input) {
    var form = input.form;
    var field = input.parentNode;
    var id = input.id || "typeahead-" + (++counter);
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    var request = 0;
    var options = [];
    var active = -1;

    listbox.id = id + "-listbox";
    listbox.className = "typeahead-list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("role", "status");
    field.appendChild(listbox);
    field.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function chosen() {
      var withs = form ? form.querySelectorAll('input[type="hidden"][name="with"]') : [];
      return Array.prototype.map.call(withs, function (el) { return el.value; });
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(li) {
      window.location.assign(li.getAttribute("data-href"));
    }

    function show(results) {
      listbox.textContent = "";
      options = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-href", r.compare_url || r.url);
        li.textContent = r.name;
        if (r.compare_url) {
          var hint = document.createElement("span");
          hint.className = "typeahead-hint";
          hint.textContent = " (compare)";
          li.appendChild(hint);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { go(li); });
        listbox.appendChild(li);
        return li;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = options.length
        ? options.length + (options.length === 1 ? " suggestion" : " suggestions") + ": use the arrow keys to choose."
        : "No suggestions.";
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q || q.length > 100) { options = []; listbox.textContent = ""; close(); status.textContent = ""; return; }
      var params = new URLSearchParams({ q: q });
      chosen().forEach(function (slug) { params.append("with", slug); });
      var mine = ++request;
      fetch(input.getAttribute("data-suggest") + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === request) { show(data.results || []); } })
        .catch(function () { /* The form still submits to the search page. */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { if (options.length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); } return; }
        event.preventDefault();
        highlight(active < options.length - 1 ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); go(options[active]); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { close(); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
