/**
 * Figures as plotly JSON (`Figure`) and offline HTML pages with plotly inlined once.
 * @module
 */
export { categoryLabels, plotlyBundle, figureToHTML, renderPage, saveFigures } from "./figure";
export type { Figure, FigureHTMLOptions, PageSection, PageOptions } from "./figure";
