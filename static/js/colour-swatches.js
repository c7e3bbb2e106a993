// Colour swatches: paint each `.swatch[data-color]` chip with its colour. Set through the CSSOM,
// so no inline style attribute is needed (a strict Content-Security-Policy stays possible).
// Without JavaScript the hex code next to the chip still says which colour it is.
const HEX = /^#[0-9a-f]{6}$/i;
for (const swatch of document.querySelectorAll(".swatch[data-color]")) {
  const color = swatch.dataset.color;
  const chip = swatch.querySelector(".swatch__chip");
  if (chip && HEX.test(color)) {
    chip.style.backgroundColor = color;
  }
}
