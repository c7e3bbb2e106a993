// The call page's closing countdown: the server renders "closes in 3 days"; this ticks it.
const data = document.getElementById("cfp-countdown");
const target = document.querySelector("[data-countdown]");

function plural(count, unit) {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

function text(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days) return plural(days, "day");
  if (hours) return plural(hours, "hour");
  return plural(Math.max(minutes, 1), "minute");
}

if (data && target) {
  const endsAt = Date.parse(JSON.parse(data.textContent).ends_at);
  const tick = () => {
    const left = endsAt - Date.now();
    target.textContent = left > 0 ? text(left) : "a moment; the call is closing";
  };
  tick();
  setInterval(tick, 30000);
}
