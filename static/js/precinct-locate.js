// "Use my location" on the precinct finder: shown only where the browser can tell the
// location; it asks, then opens /precincts/find/?lat=…&lon=… (the answer page works without
// this script: the form above it asks for a ZIP code, neighborhood or address).
(function () {
  "use strict";
  var box = document.getElementById("finder-locate");
  if (!box || !("geolocation" in navigator)) {
    return;
  }
  var button = document.getElementById("finder-locate-button");
  var status = document.getElementById("finder-locate-status");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = box.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var query = new URLSearchParams({
          lat: position.coords.latitude.toFixed(5),
          lon: position.coords.longitude.toFixed(5),
        });
        window.location.assign(box.dataset.url + "?" + query.toString());
      },
      function () {
        status.textContent = box.dataset.denied;
        button.disabled = false;
        document.getElementById("finder-q").focus();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
