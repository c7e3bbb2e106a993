// Progress of an import or export job: every element with data-task-url polls that task
// (GET /v1/tasks/<task>, with the page's session) until it is done or failed, and shows it in
// its parts:
//   <progress data-job-bar>        filled from "(12/371)" in the progress text, full when done
//   [data-job-state]               the progress text, "Done" or the error
//   [data-job-link]                an <a> shown when done, pointing at the result (an export's
//                                  download_url, an import's url), its text kept
// The element gets data-job-status="running" | "done" | "failed" and dispatches "job:done" or
// "job:failed" (detail: the task's answer), so a page can refresh what depends on the job.
// Without this script the page shows the job's state at the time it was rendered.
const POLL_MS = 1500;
const MAX_POLL_MS = 10000;
const COUNT = /\((\d+)\s*\/\s*(\d+)\)/;

function show(root, text, status) {
  const state = root.querySelector("[data-job-state]");
  if (state) state.textContent = text;
  root.dataset.jobStatus = status;
}

function fill(root, text) {
  const bar = root.querySelector("[data-job-bar]");
  if (!bar) return;
  const count = COUNT.exec(text || "");
  if (count && Number(count[2]) > 0) {
    bar.max = Number(count[2]);
    bar.value = Math.min(Number(count[1]), bar.max);
  } else {
    bar.removeAttribute("value"); // indeterminate until the job counts
  }
}

function finish(root, body) {
  const bar = root.querySelector("[data-job-bar]");
  if (bar) {
    bar.max = 1;
    bar.value = 1;
  }
  const result = body.result || {};
  const target = result.download_url || result.url;
  const link = root.querySelector("[data-job-link]");
  if (link && target) {
    link.href = target;
    link.hidden = false;
  }
  show(root, root.dataset.doneText || "Done", "done");
  root.dispatchEvent(new CustomEvent("job:done", { detail: body, bubbles: true }));
}

function fail(root, body) {
  const bar = root.querySelector("[data-job-bar]");
  if (bar) bar.value = 0;
  const error = typeof body.result === "string" ? body.result : "The job failed.";
  show(root, error, "failed");
  root.dispatchEvent(new CustomEvent("job:failed", { detail: body, bubbles: true }));
}

async function poll(root, delay) {
  let body;
  try {
    const response = await fetch(root.dataset.taskUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      fail(root, { result: response.status === 404 ? "This job cannot be found." : "The job's state cannot be read." });
      return;
    }
    body = await response.json();
  } catch {
    // The network failed for a moment: ask again, less often.
    window.setTimeout(() => poll(root, Math.min(delay * 2, MAX_POLL_MS)), delay);
    return;
  }
  if (body.state === "SUCCESS") {
    finish(root, body);
  } else if (body.state === "FAILURE") {
    fail(root, body);
  } else {
    const text = body.progress || (body.state === "WAITING" ? root.dataset.waitingText || "Waiting for a worker" : body.state);
    fill(root, text);
    show(root, text, "running");
    window.setTimeout(() => poll(root, POLL_MS), POLL_MS);
  }
}

for (const root of document.querySelectorAll("[data-task-url]")) {
  if (root.dataset.jobStatus === "done" || root.dataset.jobStatus === "failed") continue;
  poll(root, POLL_MS);
}
