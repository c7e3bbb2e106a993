// The bell in the header: the page renders the unread count; this module asks for it again every
// `data-poll-seconds` seconds while the tab is visible (and at once when it becomes visible again),
// so a notification that arrives while a page is open shows up without a reload. A hidden tab
// asks nothing. The answer is one small JSON object ({"unread": n}) from `data-count-url`.
const bell = document.querySelector("[data-notification-bell]");

if (bell) {
  const badge = bell.querySelector("[data-bell-count]");
  const url = bell.dataset.countUrl;
  const seconds = Math.max(Number(bell.dataset.pollSeconds) || 60, 1);
  let timer = null;

  const show = (count) => {
    if (!badge || !Number.isInteger(count) || count < 0) {
      return;
    }
    badge.firstChild.nodeValue = String(count);
    badge.hidden = count === 0;
  };

  const refresh = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        show((await response.json()).unread);
      }
    } catch {
      // Offline or the server is away: keep showing the last count.
    }
  };

  const start = () => {
    if (timer === null) {
      timer = window.setInterval(refresh, seconds * 1000);
    }
  };

  const stop = () => {
    window.clearInterval(timer);
    timer = null;
  };

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stop();
    } else {
      refresh();
      start();
    }
  });
  if (!document.hidden) {
    start();
  }
}
