// Sessions table: a click on a column heading sorts the rows in place, and one box ticks every row
// of the page. Without JavaScript the headings are links that ask the server for the same order
// (?sort=…), and rows are ticked one by one. The order here matches the server's: each cell carries
// its sort value (lower-cased text, ISO timestamps, plain numbers under a heading marked
// data-sort-type="number"), empty cells come last either way, ties keep creation order. Rows are sorted in place only when the table holds every matching session
// (data-sortable); a page of a longer list follows the link, so the server sorts across all pages.
const table = document.querySelector("table.sessions-table");
if (table) {
  if (table.hasAttribute("data-sortable")) enableSorting(table);
  enableSelectAll(table);
}

function headings(table) {
  return [...table.tHead.rows[0].cells];
}

function compare(a, b, descending) {
  if (a.value === "" && b.value !== "") return 1;
  if (b.value === "" && a.value !== "") return -1;
  const order = a.value < b.value ? -1 : a.value > b.value ? 1 : a.pk - b.pk;
  return descending ? -order : order;
}

function enableSorting(table) {
  for (const link of table.tHead.querySelectorAll("a.sort-link")) {
    link.addEventListener("click", (event) => {
      // A click meant for a new tab or window keeps its usual meaning.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      sortBy(table, new URL(link.href).searchParams.get("sort"));
    });
  }
}

function sortBy(table, sort) {
  const descending = sort.startsWith("-");
  const key = sort.replace(/^-/, "");
  const cells = headings(table);
  const index = cells.findIndex((cell) => cell.dataset.sortKey === key);
  if (index < 0) return;
  const numeric = cells[index].dataset.sortType === "number";
  const body = table.tBodies[0];
  const rows = [...body.rows].map((row) => {
    const value = row.cells[index].dataset.sortValue ?? "";
    return { row, value: numeric && value !== "" ? Number(value) : value, pk: Number(row.dataset.pk) };
  });
  rows.sort((a, b) => compare(a, b, descending));
  body.append(...rows.map((entry) => entry.row));

  for (const cell of cells) {
    const link = cell.querySelector("a.sort-link");
    if (!link) continue;
    const current = cell.dataset.sortKey === key;
    if (current) {
      cell.setAttribute("aria-sort", descending ? "descending" : "ascending");
    } else {
      cell.removeAttribute("aria-sort");
    }
    const url = new URL(link.href);
    url.searchParams.set("sort", current && !descending ? `-${cell.dataset.sortKey}` : cell.dataset.sortKey);
    link.href = url.search;
  }
  // Keep the order in the address (reload, bookmarks), for the filters, and for the bulk form,
  // which posts to the page's own address.
  const here = new URL(window.location.href);
  here.searchParams.set("sort", sort);
  history.replaceState(null, "", here);
  for (const input of document.querySelectorAll('input[type="hidden"][name="sort"]')) {
    input.value = sort;
  }
}

function enableSelectAll(table) {
  const cell = table.tHead.querySelector(".select-cell");
  const boxes = [...table.tBodies[0].querySelectorAll('input[type="checkbox"][name="sessions"]')];
  if (!cell || boxes.length === 0) return;
  const all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all-sessions";
  const label = document.createElement("label");
  label.htmlFor = all.id;
  label.className = "visually-hidden";
  label.textContent = "Select all sessions";
  cell.replaceChildren(all, label);
  all.addEventListener("change", () => {
    for (const box of boxes) box.checked = all.checked;
  });
  table.tBodies[0].addEventListener("change", () => {
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
}
