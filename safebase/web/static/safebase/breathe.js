// Paced breathing for two (co-regulation page): the pace shown large, counted down each second.
// Local only; no network. A file, not inline: the Content-Security-Policy allows no inline script.
(function () {
  var box = document.getElementById("breathe");
  if (!box) return;
  var pace = document.getElementById("breathe-pace");
  var count = document.getElementById("breathe-count");
  var button = document.getElementById("breathe-start");
  var done = document.getElementById("breathe-done");
  var inhale = parseInt(box.dataset.in, 10) || 4;
  var exhale = parseInt(box.dataset.out, 10) || 6;
  var rounds = parseInt(box.dataset.rounds, 10) || 12;
  var handle = null;

  function stop(message) {
    clearInterval(handle);
    handle = null;
    box.classList.remove("breathing-in", "breathing-out");
    pace.textContent = "Ready";
    count.textContent = "";
    button.textContent = "Start breathing together";
    done.textContent = message;
  }

  button.addEventListener("click", function () {
    if (handle) { stop("Stopped. Name one feeling and one need below when you are ready."); return; }
    var round = 0, phase = "in", left = inhale;
    function show() {
      pace.textContent = phase === "in" ? "Breathe in" : "Breathe out";
      count.textContent = String(left);
      box.classList.toggle("breathing-in", phase === "in");
      box.classList.toggle("breathing-out", phase === "out");
    }
    done.textContent = "";
    button.textContent = "Stop";
    show();
    handle = setInterval(function () {
      left -= 1;
      if (left > 0) { count.textContent = String(left); return; }
      if (phase === "in") { phase = "out"; left = exhale; }
      else {
        round += 1;
        if (round >= rounds) { stop("Done. Now each of you names one feeling and one need."); return; }
        phase = "in"; left = inhale;
      }
      show();
    }, 1000);
  });
})();
