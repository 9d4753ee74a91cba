export { plotlyBundle, figureToHTML, renderPage, saveFigures } from "./figure";
export type { Figure, FigureHTMLOptions, PageSection, PageOptions } from "./figure";
