// Countdown for timed exercises (body scan). Local only; no network.
(function () {
  var box = document.getElementById("timer");
  if (!box) return;
  var display = document.getElementById("timer-display");
  var button = document.getElementById("timer-start");
  var done = document.getElementById("timer-done");
  var handle = null;
  function show(s) {
    var m = Math.floor(s / 60), r = s % 60;
    display.textContent = m + ":" + (r < 10 ? "0" : "") + r;
  }
  button.addEventListener("click", function () {
    if (handle) { clearInterval(handle); handle = null; button.textContent = "Restart timer"; return; }
    var left = parseInt(box.dataset.minutes, 10) * 60;
    show(left);
    button.textContent = "Stop timer";
    done.textContent = "";
    handle = setInterval(function () {
      left -= 1;
      show(left);
      if (left <= 0) {
        clearInterval(handle); handle = null;
        button.textContent = "Start again";
        done.textContent = "Time is up. Notice how you feel, then note it below.";
      }
    }, 1000);
  });
})();
