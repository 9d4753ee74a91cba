/**
 * A TreeSHAP worker thread (started by src/explain/treeshap.ts from the compiled treeshap-worker.js):
 * each message is one block of rows of one call, with the compiled ensemble, the rows and the output
 * in shared memory; the kernel is the main thread's (src/models/treeshap.ts). Kept between calls.
 * @module
 */
import { parentPort } from "worker_threads";
import { serveTreeShapBlock } from "./treeshap-block";

parentPort!.on("message", serveTreeShapBlock);
