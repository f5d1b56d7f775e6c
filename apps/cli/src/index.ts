export { run } from "./run.js";
export { demo } from "./demo.js";
