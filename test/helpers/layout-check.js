// Runs inside each page opened by checkPages (test/helpers/browser.ts): plain
// JavaScript read as text and evaluated there, so no bundler helper leaks in.
// Returns { wide, clipped, overlapping }:
// - wide: the outermost elements that stick out of the viewport (1280 px);
// - clipped: axis titles, tick labels, legend entries, titles and annotations
//   of a plotly figure drawn outside the figure's SVG (so cut off);
// - overlapping: Sankey node labels that overlap each other.
(() => {
const vw = document.documentElement.clientWidth;
const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).slice(0, 2).join(".") : ""}`;
const visible = (el) => { const s = getComputedStyle(el); return s.display !== "none" && s.visibility !== "hidden"; };
// 1. Nothing wider than the viewport: report the outermost element that sticks out on either side.
const wide = [];
// What a reader sees of an element: its box cut by every ancestor that clips horizontally (a scroll box
// shows a wide table inside the page, with its own scroll bar). An element entirely off-screen, like
// plotly's text-measuring SVG at x = -10000, is not shown to anyone.
const seen = (el) => {
  const r = el.getBoundingClientRect();
  let left = r.left, right = r.right;
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX === "visible") continue;
    const b = a.getBoundingClientRect();
    left = Math.max(left, b.left); right = Math.min(right, b.right);
  }
  return { left, right, width: r.width, height: r.height };
};
const sticksOut = (el) => { const r = seen(el); return r.width > 0 && r.height > 0 && r.right > 0 && r.left < vw && (r.right > vw + 1 || r.left < -1); };
for (const el of Array.from(document.body.querySelectorAll("*"))) {
  if (!sticksOut(el) || !visible(el)) continue;
  if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
  if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue; // an SVG's insides are checked as labels below
  const r = seen(el);
  wide.push(`${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} px of ${vw})`);
}
if (document.documentElement.scrollWidth > vw + 1) wide.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
// 2. No axis title, tick label, legend entry or title drawn outside its figure.
const clipped = [];
const overlapping = [];
const figs = Array.from(new Set(Array.from(document.querySelectorAll(".js-plotly-plot"))));
figs.forEach((fig, fi) => {
  const svg = fig.querySelector("svg.main-svg");
  if (!svg) return;
  const box = svg.getBoundingClientRect();
  const title = (fig.querySelector(".gtitle")?.textContent ?? "").slice(0, 40) || fig.id || `figure ${fi + 1}`;
  const sel = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .gtitle, .annotation-text, .sankey .node-label, .colorbar text";
  for (const t of Array.from(fig.querySelectorAll(sel))) {
    const r = t.getBoundingClientRect();
    if (r.width === 0 || !visible(t) || !(t.textContent ?? "").trim()) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
      clipped.push(`${title}: "${(t.textContent ?? "").slice(0, 60)}" at ${Math.round(r.left - box.left)}–${Math.round(r.right - box.left)} px of ${Math.round(box.width)}`);
    }
  }
  const labels = Array.from(fig.querySelectorAll(".sankey .node-label")).map((t) => ({ t: t.textContent ?? "", r: t.getBoundingClientRect() })).filter((l) => l.r.width > 0 && l.t.trim());
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i].r, b = labels[j].r;
    const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left), oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (ox > 2 && oy > 2) overlapping.push(`${title}: "${labels[i].t}" / "${labels[j].t}"`);
  }
});
return { wide, clipped, overlapping };
})()
