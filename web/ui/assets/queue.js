// The ticket page prints itself once on a kiosk (the browser runs in kiosk
// printing mode), then the kiosk goes back to its buttons by the page's
// meta refresh. Without script the ticket is still shown, to print with
// the browser's own command.
"use strict";
(function () {
  var b = document.getElementById("in-so");
  if (b) {
    b.addEventListener("click", function () { window.print(); });
  }
  if (document.body.getAttribute("data-autoprint") === "1") {
    window.print();
  }
})();
