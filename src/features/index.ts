export { customerRFM } from "./rfm";
export type { CustomerRFMOptions } from "./rfm";
