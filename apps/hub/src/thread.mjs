// Where each worker thread of the hub starts: the package examiner's and the blob writer's. Node 20
// does not give worker threads the TypeScript loader (tsx) the hub's process was started with, so
// the thread registers it before it loads the module its pool (thread-pool.ts) named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { default: task } = await import(workerData.module);
export default task;
