// motcua – improvements only: every page works without this script.
"use strict";
(function () {
  // Live countdowns: <span class="countdown" data-due="ms">.
  function left(ms) {
    var d = ms - Date.now(), p = "còn ";
    if (d < 0) { p = "quá hạn "; d = -d; }
    var m = Math.floor(d / 60000), h = Math.floor(m / 60), days = Math.floor(h / 24);
    if (days > 0) return p + days + " ngày " + (h % 24) + " giờ";
    if (h > 0) return p + h + " giờ " + (m % 60) + " phút";
    return p + m + " phút";
  }
  function tick() {
    var els = document.querySelectorAll(".countdown[data-due]");
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = left(+els[i].getAttribute("data-due"));
    }
  }
  // The server's clock may differ from the browser's: only tick when the
  // page's "now" (the server's) agrees within two minutes.
  var now = document.body && document.body.getAttribute("data-now");
  if (now !== null && Math.abs(+now - Date.now()) < 120000) {
    if (document.querySelector(".countdown")) setInterval(tick, 30000);
  }

  // CCCD QR scan: fill the applicant in place instead of reloading.
  var scan = document.getElementById("scan");
  var form = document.getElementById("reception");
  if (scan && form && window.fetch) {
    scan.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var field = scan.querySelector("[name=cccd_qr]");
      var msg = document.getElementById("f-cccd-qr-m");
      fetch(scan.action, {method: "POST", headers: {"Accept": "application/json"}, body: new URLSearchParams(new FormData(scan))})
        .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, j: j}; }); })
        .then(function (res) {
          if (!msg) { msg = document.createElement("p"); msg.id = "f-cccd-qr-m"; field.parentNode.appendChild(msg); }
          if (!res.ok) {
            msg.className = "err"; msg.textContent = res.j.message;
            field.setAttribute("aria-invalid", "true"); field.setAttribute("aria-describedby", msg.id);
            field.select();
            return;
          }
          field.removeAttribute("aria-invalid");
          msg.className = "hint"; msg.textContent = "Đã điền thông tin từ thẻ: " + res.j["applicant.full_name"] + ".";
          for (var k in res.j) {
            var el = form.querySelector("[name='" + k + "']");
            if (el) el.value = res.j[k];
          }
          field.value = "";
          var phone = form.querySelector("[name='applicant.phone']");
          if (phone) phone.focus();
        })
        .catch(function () { scan.submit(); });
    });
  }
})();
