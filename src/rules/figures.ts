import { Figure } from "../plot/figure";
import { createRng } from "../util/random";
import { RuleSet, numRules, ruleAntecedent, ruleConsequent, ruleText, sortRules } from "./rules";

/** Options for {@link rulesScatterFigure}. */
export interface RulesScatterOptions {
  /** Plot at most this many rules, the highest-lift ones (default 2000). */
  maxRules?: number;
  /** Title (default "Rules: support vs confidence, coloured by lift"). */
  title?: string;
}

/**
 * Support–confidence scatter of rules coloured by lift (as arulesViz's
 * default plot); hovering shows the rule text.
 *
 * @example
 * tslab.display.html(figureToHTML(rulesScatterFigure(rules)));
 */
export function rulesScatterFigure(r: RuleSet, o: RulesScatterOptions = {}): Figure {
  const max = o.maxRules ?? 2000;
  const s = numRules(r) > max ? sortRules(r, "lift") : r;
  const n = Math.min(max, numRules(s));
  const x: number[] = [], y: number[] = [], c: number[] = [], text: string[] = [];
  for (let i = 0; i < n; i++) {
    x.push(s.support[i]); y.push(s.confidence[i]); c.push(s.lift[i]);
    text.push(`${ruleText(s, i)}<br>lift ${s.lift[i].toFixed(3)}`);
  }
  return {
    data: [{
      type: "scatter", mode: "markers", x, y, text, hoverinfo: "text+x+y",
      marker: { color: c, colorscale: "Viridis", showscale: true, colorbar: { title: { text: "lift" } }, size: 7, opacity: 0.8 },
    }],
    layout: {
      title: { text: o.title ?? `Rules: support vs confidence, coloured by lift (${n} of ${numRules(r)})` },
      xaxis: { title: { text: "support" }, type: "log" },
      yaxis: { title: { text: "confidence" } },
    },
  };
}

/** Options for {@link rulesNetworkFigure}. */
export interface RulesNetworkOptions {
  /** Number of rules drawn, the top ones by lift (default 30). */
  topN?: number;
  /** Seed for the force-directed layout (default 42). */
  seed?: number;
  /** Layout iterations (default 300). */
  iterations?: number;
  /** Title. */
  title?: string;
}

/**
 * Rule network (as arulesViz's "graph" method): item nodes (circles) and rule
 * nodes (diamonds sized by support, coloured by lift), with edges
 * antecedent item → rule → consequent item. Positions come from a seeded
 * Fruchterman–Reingold layout, so the same rules and seed draw the same graph.
 *
 * @example
 * tslab.display.html(figureToHTML(rulesNetworkFigure(rules, { topN: 25 })));
 */
export function rulesNetworkFigure(r: RuleSet, o: RulesNetworkOptions = {}): Figure {
  const topN = o.topN ?? 30;
  const s = sortRules(r, "lift");
  const n = Math.min(topN, numRules(s));
  const itemNode = new Map<number, number>();
  const labels: string[] = [];
  const isRule: boolean[] = [];
  const edges: Array<[number, number]> = [];
  const ruleNodes: number[] = [];
  const nodeOfItem = (id: number) => {
    let v = itemNode.get(id);
    if (v === undefined) { v = labels.length; itemNode.set(id, v); labels.push(s.itemNames[id]); isRule.push(false); }
    return v;
  };
  for (let i = 0; i < n; i++) {
    const rv = labels.length; labels.push(ruleText(s, i)); isRule.push(true); ruleNodes.push(i);
    for (const a of ruleAntecedent(s, i)) edges.push([nodeOfItem(a), rv]);
    for (const c of ruleConsequent(s, i)) edges.push([rv, nodeOfItem(c)]);
  }
  const V = labels.length;
  const pos = forceLayout(V, edges, o.seed ?? 42, o.iterations ?? 300);
  const ex: (number | null)[] = [], ey: (number | null)[] = [];
  for (const [a, b] of edges) { ex.push(pos[2 * a], pos[2 * b], null); ey.push(pos[2 * a + 1], pos[2 * b + 1], null); }
  const ix: number[] = [], iy: number[] = [], itext: string[] = [];
  const rx: number[] = [], ry: number[] = [], rtext: string[] = [], rlift: number[] = [], rsize: number[] = [];
  let ri = 0;
  let maxSup = n ? -Infinity : 1;
  for (let i = 0; i < n; i++) if (s.support[i] > maxSup) maxSup = s.support[i];
  for (let v = 0; v < V; v++) {
    if (isRule[v]) {
      const i = ruleNodes[ri++];
      rx.push(pos[2 * v]); ry.push(pos[2 * v + 1]);
      rtext.push(`${labels[v]}<br>support ${s.support[i].toFixed(4)} confidence ${s.confidence[i].toFixed(3)} lift ${s.lift[i].toFixed(3)}`);
      rlift.push(s.lift[i]); rsize.push(8 + 14 * Math.sqrt(s.support[i] / maxSup));
    } else { ix.push(pos[2 * v]); iy.push(pos[2 * v + 1]); itext.push(labels[v]); }
  }
  return {
    data: [
      { type: "scatter", mode: "lines", x: ex, y: ey, line: { width: 0.8, color: "#9aa5b1" }, hoverinfo: "skip", showlegend: false },
      { type: "scatter", mode: "markers", name: "rules", x: rx, y: ry, text: rtext, hoverinfo: "text",
        marker: { symbol: "diamond", size: rsize, color: rlift, colorscale: "Reds", showscale: true, colorbar: { title: { text: "lift" } } } },
      { type: "scatter", mode: "markers+text", name: "items", x: ix, y: iy, text: itext, textposition: "top center", hoverinfo: "text",
        marker: { size: 10, color: "#3e7cb1" } },
    ],
    layout: {
      title: { text: o.title ?? `Rule network: top ${n} rules by lift` },
      xaxis: { visible: false }, yaxis: { visible: false }, showlegend: true, hovermode: "closest",
    },
  };
}

/** Seeded Fruchterman–Reingold layout in the unit square; returns [x0, y0, x1, y1, ...]. */
function forceLayout(V: number, edges: Array<[number, number]>, seed: number, iterations: number): Float64Array {
  const rng = createRng(seed);
  const p = new Float64Array(2 * V);
  for (let i = 0; i < 2 * V; i++) p[i] = rng.next();
  if (V < 2) return p;
  const k = Math.sqrt(1 / V);
  const disp = new Float64Array(2 * V);
  let temp = 0.1;
  for (let it = 0; it < iterations; it++) {
    disp.fill(0);
    for (let a = 0; a < V; a++) for (let b = a + 1; b < V; b++) {
      const dx = p[2 * a] - p[2 * b], dy = p[2 * a + 1] - p[2 * b + 1];
      const d = Math.max(1e-4, Math.hypot(dx, dy));
      const f = (k * k) / d;
      disp[2 * a] += (dx / d) * f; disp[2 * a + 1] += (dy / d) * f;
      disp[2 * b] -= (dx / d) * f; disp[2 * b + 1] -= (dy / d) * f;
    }
    for (const [a, b] of edges) {
      const dx = p[2 * a] - p[2 * b], dy = p[2 * a + 1] - p[2 * b + 1];
      const d = Math.max(1e-4, Math.hypot(dx, dy));
      const f = (d * d) / k;
      disp[2 * a] -= (dx / d) * f; disp[2 * a + 1] -= (dy / d) * f;
      disp[2 * b] += (dx / d) * f; disp[2 * b + 1] += (dy / d) * f;
    }
    for (let v = 0; v < V; v++) {
      const dx = disp[2 * v], dy = disp[2 * v + 1];
      const d = Math.max(1e-9, Math.hypot(dx, dy));
      p[2 * v] += (dx / d) * Math.min(d, temp);
      p[2 * v + 1] += (dy / d) * Math.min(d, temp);
      // weak gravity to the centre keeps disconnected parts on screen
      p[2 * v] += (0.5 - p[2 * v]) * 0.01;
      p[2 * v + 1] += (0.5 - p[2 * v + 1]) * 0.01;
    }
    temp = Math.max(0.002, temp * 0.985);
  }
  return p;
}
