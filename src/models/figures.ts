import type { Figure } from "../plot/figure";

/** Loss history per epoch/iteration: `loss` (training) and optionally `val_loss`. */
export interface LossHistory {
  loss: ArrayLike<number>;
  val_loss?: ArrayLike<number>;
}

/**
 * Training curves: training loss (solid) and validation loss (dashed) per
 * epoch (tfjs models' `history_`) or boosting iteration (`trainLoss_` /
 * `validationLoss_`), one colour per model.
 * @example trainingHistoryFigure({ mlp: mlp.history_!, lstm: lstm.history_! });
 */
export function trainingHistoryFigure(histories: Record<string, LossHistory>, title = "Training curves"): Figure {
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
  const data: Record<string, unknown>[] = [];
  Object.entries(histories).forEach(([name, h], k) => {
    const color = palette[k % palette.length];
    const r = (a: ArrayLike<number>) => Array.from(a, (v) => Math.round(v * 1e5) / 1e5);
    data.push({ type: "scatter", mode: "lines", name: `${name} loss`, x: Array.from({ length: h.loss.length }, (_, i) => i + 1), y: r(h.loss), line: { color } });
    if (h.val_loss && h.val_loss.length) data.push({ type: "scatter", mode: "lines", name: `${name} val_loss`, x: Array.from({ length: h.val_loss.length }, (_, i) => i + 1), y: r(h.val_loss), line: { color, dash: "dash" } });
  });
  return { data, layout: { title: { text: title }, xaxis: { title: { text: "epoch / iteration" } }, yaxis: { title: { text: "log-loss" } } } };
}
