// Small enhancements where JavaScript runs; every page works without them.
// - a form is sent once: its submit button is disabled while the answer is awaited;
// - the receipt code gets a button that copies it.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    // Disabled after this turn, so that the pressed button's own name and value are sent.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
        if (button.dataset.sending) {
          button.dataset.label = button.textContent;
          button.textContent = button.dataset.sending;
        }
      });
    }, 0);
  });

  // Coming back to the page through the browser's history: the buttons work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-disabled=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
      if (button.dataset.label) {
        button.textContent = button.dataset.label;
      }
    });
  });

  var receipt = document.getElementById("receipt");
  if (receipt && receipt.dataset.copy && navigator.clipboard) {
    var row = document.createElement("p");
    row.className = "copy-row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = receipt.dataset.copy;
    var said = document.createElement("span");
    said.setAttribute("role", "status");
    said.className = "hint";
    button.addEventListener("click", function () {
      var digits = receipt.textContent.replace(/\D/g, "");
      navigator.clipboard.writeText(digits).then(function () {
        said.textContent = " " + receipt.dataset.copied;
      });
    });
    row.appendChild(button);
    row.appendChild(said);
    receipt.insertAdjacentElement("afterend", row);
  }
})();
